// Prints the standard keys a test needs to find its files.
export const options = { testName: 'runinfo-e2e' };
export default function () {
  console.log(`run ${getInteger('runNumber')} at ${getString('runPath')} test ${getString('testName')}`);
}
