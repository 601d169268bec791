// Type declarations of the jsload scripting API, for editors: completion and checks
// in .js (with // @ts-check) and .ts scripts. Reference it from a script folder's
// tsconfig.json ("types" or "include") or with /// <reference path="types/jsload.d.ts" />.

/** A duration: milliseconds, or a string such as '5s', '250ms', '1m30s'. */
type JsloadDuration = number | string;
/** JSON-like data: what the dictionary, the shared store and setup() carry. */
type JsloadData = string | number | boolean | null | JsloadData[] | { [key: string]: JsloadData };

interface JsloadVU {
  /** The VU's number in the whole test, from 1. */
  readonly id: number;
  /** The VU's number in its group, from 1. */
  readonly idInGroup: number;
  /** The VU's group ("default" for the shortcut options). */
  readonly group: string;
  /** The VU's current iteration, from 0. */
  readonly iteration: number;
  /** The group-wide number of the current iteration. */
  readonly iterationInGroup: number;
}

interface JsloadBackgroundOptions {
  justCreate?: boolean;
  loop?: boolean;
  pause?: JsloadDuration;
  /** 'vu' (default): with the VU; one vuInit creates ends with the VU's first iteration when its group has a new browser each iteration. */
  stop?: 'script' | 'iteration' | 'vu' | 'never';
  stopMode?: 'request' | 'immediate';
  stopTimeout?: JsloadDuration;
  /** 'shared': the creator's dictionary; 'copy': its own copy of the keys that exist now, other keys read through until written; 'overlay': reads fall through until written. */
  dictionary?: 'shared' | 'copy' | 'overlay';
  /** JSON-like data (no cycles, functions or Dates; at most 1000 levels deep), passed to the script's function. */
  args?: JsloadData;
}

/**
 * The browser setting of `export const options` (for every group) and of each
 * group in `options.groups` (which wins).
 */
interface JsloadBrowserOptions {
  /**
   * Default true: before each iteration of a VU but its first, the VU's cookie
   * jar is emptied and its idle connections are closed, and the background
   * scripts vuInit created with stop: 'vu' are stopped when the VU's first
   * iteration ends. false: the VU keeps its cookies, connections and vuInit's
   * scripts until it ends. The dictionary and data rows are never touched.
   */
  newBrowserEachIteration?: boolean;
}

interface JsloadRendezvousOptions {
  count?: number;
  percent?: number;
  group?: string;
  timeout?: JsloadDuration;
  interArrivalTimeout?: JsloadDuration;
}

interface JsloadRendezvousResult {
  released: 'count' | 'timeout';
  waited: number;
  arrived: number;
}

interface JsloadShared {
  get(key: string, defaultValue?: JsloadData): JsloadData;
  set(key: string, value: JsloadData): void;
  increment(key: string, by?: number): number;
  push(list: string, value: JsloadData): void;
  pop(list: string, timeout?: JsloadDuration): JsloadData;
  size(list: string): number;
}

// The VU API: globals in every VU and background runtime, and exports of 'jsload'.
// (performance.now(), also a global, is declared by TypeScript's own libraries.)
declare function sleep(seconds: number): void;
declare function pause(min: number, max?: number): void;
declare function check<T>(value: T, checks: { [name: string]: ((value: T) => boolean) | boolean }, tags?: { [name: string]: string }): boolean;
declare function fail(message?: string): never;
declare function abortTest(message?: string): never;
declare var vu: JsloadVU;
declare function startTransaction(name: string): void;
declare function endTransaction(name: string, ok?: boolean): number;

declare function getString(key: string, defaultValue?: string): string;
declare function getInteger(key: string, defaultValue?: number): number;
declare function getNumber(key: string, defaultValue?: number): number;
declare function getBoolean(key: string, defaultValue?: boolean): boolean;
declare function get(key: string, defaultValue?: JsloadData): JsloadData;
declare function setString(key: string, value: string): void;
declare function setInteger(key: string, value: number): void;
declare function setNumber(key: string, value: number): void;
declare function setBoolean(key: string, value: boolean): void;
declare function set(key: string, value: JsloadData): void;
declare function hasKey(key: string): boolean;
declare function removeKey(key: string): boolean;
declare function keys(): string[];
declare function waitForString(key: string, timeout?: JsloadDuration): string;
declare function waitForInteger(key: string, timeout?: JsloadDuration): number;
declare function waitForNumber(key: string, timeout?: JsloadDuration): number;
declare function waitForBoolean(key: string, timeout?: JsloadDuration): boolean;
declare function waitFor(key: string, timeout?: JsloadDuration): JsloadData;
declare function waitForChange(key: string, timeout?: JsloadDuration): JsloadData;

declare function createBackgroundScript(id: string, script: string | { exec: string }, options?: JsloadBackgroundOptions): void;
declare function startBackgroundScript(id: string): void;
/** Sets the flag stopRequested() reads; a sleep in the script ends early, a wait in it stops it at once. */
declare function requestToStopBackgroundScript(id: string): void;
declare function stopBackgroundScriptImmediately(id: string): void;
declare function waitForBackgroundScriptToFinish(id: string, timeout?: JsloadDuration): boolean;
declare function getBackgroundScriptStatus(id: string): 'created' | 'running' | 'completed' | 'canceled' | 'faulted';
declare function backgroundScriptError(id: string): string | null;
declare function stopRequested(): boolean;
/** The id of the background script running this code; null in the VU's main script. */
declare var backgroundScriptId: string | null;

declare function setSynchronizationPoint(id: string): void;
declare function unsetSynchronizationPoint(id: string): void;
declare function waitForSynchronizationPoint(id: string, timeout?: JsloadDuration): void;

declare function rendezvous(name: string, options: JsloadRendezvousOptions): JsloadRendezvousResult;
declare var shared: JsloadShared;

/** Stats of one metric in the data of handleSummary (k6's names; ms for time). */
interface JsloadSummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  /** counter: count, rate · gauge: value, min, max · rate: rate, passes, fails · trend: avg, min, med, max, 'p(90)', 'p(95)', 'p(99)' */
  values: { [stat: string]: number };
  /** The outcome of each threshold of the metric, by its expression. */
  thresholds?: { [expression: string]: { ok: boolean } };
}

/**
 * The argument of `export function handleSummary(data)`, shaped as k6's. Its
 * metrics are keyed by name, and by threshold key for sub-metrics
 * ('http_req_duration{transaction:login}').
 */
interface JsloadSummaryData {
  root_group: {
    name: ''; path: ''; id: string; groups: [];
    checks: { name: string; path: string; id: string; passes: number; fails: number }[];
  };
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: { [name: string]: JsloadSummaryMetric };
  /** jsload's own: the metrics of each VU group. */
  groups: { [group: string]: { metrics: { [name: string]: JsloadSummaryMetric } } };
  /** jsload's own: each transaction's count, outcomes and duration stats. */
  transactions: { [name: string]: { count: number; passes: number; fails: number; values: { [stat: string]: number } } };
  /** jsload's own: the script errors of the run, by location. */
  errors: { location?: string; message: string; count: number }[];
  testName: string;
  runNumber: number;
  /** The run's results folder (absolute). */
  runPath: string;
  /** The end-of-test summary jsload would have printed. */
  summaryText: string;
}

/**
 * What handleSummary returns: 'stdout', 'stderr' or a file path (relative to
 * the working folder) mapped to its content. Returning it replaces the
 * summary jsload prints; the run folder is filled all the same.
 */
type JsloadSummaryOutput = { [target: string]: string };

/** The -e KEY=VALUE pairs (and a group's env), read-only. */
declare var __ENV: { readonly [key: string]: string };

// ---- Web platform APIs (URL, TextEncoder, crypto, ...) ----
// Declared here so that TypeScript scripts compiled with `lib: ["es2020"]` need no
// "dom" library. With "dom" too, its declarations win: each `declare var` below
// takes the type the DOM library gives the name when it has one, and the interfaces
// named as the DOM's (URL, CryptoKey, ...) extend jsload's, so the DOM's members,
// where it has them, take precedence over the ones declared here.

type JsloadBufferSource = ArrayBuffer | ArrayBufferView;
type JsloadAlgorithm = string | { name: string; [member: string]: unknown };
type JsloadKeyUsage = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'deriveKey' | 'deriveBits' | 'wrapKey' | 'unwrapKey';
type JsloadKeyFormat = 'raw' | 'spki' | 'pkcs8' | 'jwk';

interface JsloadJsonWebKey {
  kty?: string; use?: string; key_ops?: string[]; alg?: string; ext?: boolean;
  crv?: string; x?: string; y?: string; d?: string; n?: string; e?: string;
  p?: string; q?: string; dp?: string; dq?: string; qi?: string; k?: string;
}

interface URLSearchParams extends JsloadURLSearchParams {}
interface JsloadURLSearchParams {
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(callbackfn: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: any): void;
  readonly size: number;
}
interface JsloadURLSearchParamsConstructor {
  prototype: URLSearchParams;
  new (init?: string[][] | Record<string, string> | string | URLSearchParams): URLSearchParams;
}
/** WHATWG URLSearchParams (goja_nodejs). */
declare var URLSearchParams: typeof globalThis extends { onmessage: any; URLSearchParams: infer T } ? T : JsloadURLSearchParamsConstructor;

interface URL extends JsloadURL {}
interface JsloadURL {
  hash: string; host: string; hostname: string; href: string; readonly origin: string;
  password: string; pathname: string; port: string; protocol: string; search: string;
  readonly searchParams: URLSearchParams; username: string;
  toString(): string;
  toJSON(): string;
}
interface JsloadURLConstructor {
  prototype: URL;
  new (url: string | URL, base?: string | URL): URL;
  canParse(url: string | URL, base?: string | URL): boolean;
}
/** WHATWG URL (goja_nodejs; href, origin and the search setter corrected by jsload). */
declare var URL: typeof globalThis extends { onmessage: any; URL: infer T } ? T : JsloadURLConstructor;

interface TextEncoder extends JsloadTextEncoder {}
interface JsloadTextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
/** UTF-8 encoder. */
declare var TextEncoder: typeof globalThis extends { onmessage: any; TextEncoder: infer T } ? T : { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoder extends JsloadTextDecoder {}
interface JsloadTextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: JsloadBufferSource, options?: { stream?: boolean }): string;
}
/** UTF-8 decoder ('utf-8', 'utf8', 'unicode-1-1-utf-8' and the other UTF-8 labels). */
declare var TextDecoder: typeof globalThis extends { onmessage: any; TextDecoder: infer T } ? T
  : { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };

interface DOMException extends JsloadDOMException {}
interface JsloadDOMException extends Error {
  readonly code: number;
  readonly message: string;
  readonly name: string;
}
/** The errors of atob, structuredClone, crypto: e.name is 'DataError', 'OperationError', ... */
declare var DOMException: typeof globalThis extends { onmessage: any; DOMException: infer T } ? T
  : { prototype: DOMException; new (message?: string, name?: string): DOMException };

/** Base64 of a string of Latin-1 characters; InvalidCharacterError beyond U+00FF. */
declare function btoa(data: string): string;
/** Decodes base64 to a string with one character per byte. */
declare function atob(data: string): string;
/** Runs callback after the current script code, before timers and I/O. */
declare function queueMicrotask(callback: () => void): void;
/** A deep copy (cycles, Map, Set, Date, RegExp, ArrayBuffer, typed arrays); DataCloneError for functions, symbols, ... */
declare function structuredClone<T = any>(value: T, options?: { transfer?: any[] }): T;

interface CryptoKey extends JsloadCryptoKey {}
interface JsloadCryptoKey {
  readonly algorithm: { name: string; [member: string]: any };
  readonly extractable: boolean;
  readonly type: 'secret' | 'private' | 'public';
  readonly usages: JsloadKeyUsage[];
}
/** A key of crypto.subtle; made by generateKey, importKey, deriveKey and unwrapKey only. */
declare var CryptoKey: typeof globalThis extends { onmessage: any; CryptoKey: infer T } ? T : { prototype: CryptoKey; new (): never };

interface JsloadCryptoKeyPair { publicKey: CryptoKey; privateKey: CryptoKey }

interface JsloadSubtleCrypto {
  digest(algorithm: JsloadAlgorithm, data: JsloadBufferSource): Promise<ArrayBuffer>;
  generateKey(algorithm: JsloadAlgorithm, extractable: boolean, keyUsages: JsloadKeyUsage[]): Promise<CryptoKey | JsloadCryptoKeyPair>;
  importKey(format: JsloadKeyFormat, keyData: JsloadBufferSource | JsloadJsonWebKey, algorithm: JsloadAlgorithm, extractable: boolean, keyUsages: JsloadKeyUsage[]): Promise<CryptoKey>;
  exportKey(format: JsloadKeyFormat, key: CryptoKey): Promise<ArrayBuffer | JsloadJsonWebKey>;
  sign(algorithm: JsloadAlgorithm, key: CryptoKey, data: JsloadBufferSource): Promise<ArrayBuffer>;
  verify(algorithm: JsloadAlgorithm, key: CryptoKey, signature: JsloadBufferSource, data: JsloadBufferSource): Promise<boolean>;
  encrypt(algorithm: JsloadAlgorithm, key: CryptoKey, data: JsloadBufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: JsloadAlgorithm, key: CryptoKey, data: JsloadBufferSource): Promise<ArrayBuffer>;
  deriveBits(algorithm: JsloadAlgorithm, baseKey: CryptoKey, length?: number | null): Promise<ArrayBuffer>;
  deriveKey(algorithm: JsloadAlgorithm, baseKey: CryptoKey, derivedKeyType: JsloadAlgorithm, extractable: boolean, keyUsages: JsloadKeyUsage[]): Promise<CryptoKey>;
  wrapKey(format: JsloadKeyFormat, key: CryptoKey, wrappingKey: CryptoKey, wrapAlgorithm: JsloadAlgorithm): Promise<ArrayBuffer>;
  unwrapKey(format: JsloadKeyFormat, wrappedKey: JsloadBufferSource, unwrappingKey: CryptoKey, unwrapAlgorithm: JsloadAlgorithm,
    unwrappedKeyAlgorithm: JsloadAlgorithm, extractable: boolean, keyUsages: JsloadKeyUsage[]): Promise<CryptoKey>;
}
interface JsloadCrypto {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
  readonly subtle: JsloadSubtleCrypto;
}
/** Web Cryptography: random values, UUIDs and crypto.subtle. */
declare var crypto: typeof globalThis extends { onmessage: any; crypto: infer T } ? T : JsloadCrypto;

interface JsloadBuffer extends Uint8Array {
  toString(encoding?: 'utf8' | 'hex' | 'base64' | 'ascii' | 'binary' | 'latin1' | 'ucs2' | 'utf16le', start?: number, end?: number): string;
  equals(other: Uint8Array): boolean;
  readUInt8(offset?: number): number; readUInt16BE(offset?: number): number; readUInt16LE(offset?: number): number;
  readUInt32BE(offset?: number): number; readUInt32LE(offset?: number): number;
  readInt32BE(offset?: number): number; readInt32LE(offset?: number): number;
  readDoubleBE(offset?: number): number; readDoubleLE(offset?: number): number;
  write(string: string, offset?: number, length?: number, encoding?: string): number;
}
/** Node's Buffer (goja_nodejs). */
declare var Buffer: {
  from(data: string, encoding?: string): JsloadBuffer;
  from(data: ArrayBuffer | ArrayLike<number>, byteOffset?: number, length?: number): JsloadBuffer;
  alloc(size: number, fill?: number | string, encoding?: string): JsloadBuffer;
  allocUnsafe(size: number): JsloadBuffer;
  concat(list: Uint8Array[], totalLength?: number): JsloadBuffer;
};

declare module 'jsload' {
  export const sleep: typeof globalThis.sleep;
  export const pause: typeof globalThis.pause;
  export const check: typeof globalThis.check;
  export const fail: typeof globalThis.fail;
  export const abortTest: typeof globalThis.abortTest;
  export const vu: typeof globalThis.vu;
  export const startTransaction: typeof globalThis.startTransaction;
  export const endTransaction: typeof globalThis.endTransaction;
  export const getString: typeof globalThis.getString;
  export const getInteger: typeof globalThis.getInteger;
  export const getNumber: typeof globalThis.getNumber;
  export const getBoolean: typeof globalThis.getBoolean;
  export const get: typeof globalThis.get;
  export const setString: typeof globalThis.setString;
  export const setInteger: typeof globalThis.setInteger;
  export const setNumber: typeof globalThis.setNumber;
  export const setBoolean: typeof globalThis.setBoolean;
  export const set: typeof globalThis.set;
  export const hasKey: typeof globalThis.hasKey;
  export const removeKey: typeof globalThis.removeKey;
  export const keys: typeof globalThis.keys;
  export const waitForString: typeof globalThis.waitForString;
  export const waitForInteger: typeof globalThis.waitForInteger;
  export const waitForNumber: typeof globalThis.waitForNumber;
  export const waitForBoolean: typeof globalThis.waitForBoolean;
  export const waitFor: typeof globalThis.waitFor;
  export const waitForChange: typeof globalThis.waitForChange;
  export const createBackgroundScript: typeof globalThis.createBackgroundScript;
  export const startBackgroundScript: typeof globalThis.startBackgroundScript;
  export const requestToStopBackgroundScript: typeof globalThis.requestToStopBackgroundScript;
  export const stopBackgroundScriptImmediately: typeof globalThis.stopBackgroundScriptImmediately;
  export const waitForBackgroundScriptToFinish: typeof globalThis.waitForBackgroundScriptToFinish;
  export const getBackgroundScriptStatus: typeof globalThis.getBackgroundScriptStatus;
  export const backgroundScriptError: typeof globalThis.backgroundScriptError;
  export const stopRequested: typeof globalThis.stopRequested;
  export const backgroundScriptId: typeof globalThis.backgroundScriptId;
  export const setSynchronizationPoint: typeof globalThis.setSynchronizationPoint;
  export const unsetSynchronizationPoint: typeof globalThis.unsetSynchronizationPoint;
  export const waitForSynchronizationPoint: typeof globalThis.waitForSynchronizationPoint;
  export const rendezvous: typeof globalThis.rendezvous;
  export const shared: typeof globalThis.shared;
}

declare module 'jsload/http' {
  type Body = string | ArrayBuffer | { [field: string]: string | number | boolean };
  interface Params {
    headers?: { [name: string]: string };
    tags?: { [name: string]: string };
    timeout?: JsloadDuration;
    redirects?: number;
    responseType?: 'text' | 'binary' | 'none';
    /** Largest body read, counted after decoding: bytes, or '64MiB', '10MB', '512KiB'. Default 64 MiB (or options.maxResponseBodySize). Past it: status 0, errorCode 1702. */
    maxResponseBodySize?: number | string;
    /** 'basic' or 'digest' take user:password from the URL. */
    auth?: 'basic' | 'digest' | { username: string; password?: string; scheme?: 'basic' | 'digest' };
    /** Sent with this request only (and its redirects to the same host), before the jar's; replace: true leaves out the jar's cookie of that name. */
    cookies?: { [name: string]: string | { value: string; replace?: boolean } };
    /** The jar to send cookies from and store the response's in, instead of the VU's. */
    jar?: CookieJar;
    throw?: boolean;
    insecureSkipTLSVerify?: boolean;
  }
  interface CookieOptions {
    domain?: string;
    path?: string;
    /** A Date, or an HTTP date such as 'Mon, 02 Jan 2006 15:04:05 GMT'. */
    expires?: Date | string;
    /** Seconds; 0 or less deletes the cookie. k6's max_age is accepted too. */
    maxAge?: number;
    secure?: boolean;
    /** k6's http_only is accepted too. */
    httpOnly?: boolean;
  }
  /** A cookie jar: http.cookieJar() is the VU's (emptied by a new browser), new CookieJar() one of the script's own. */
  export class CookieJar {
    constructor();
    /** The cookies a request to url sends, by name. */
    cookiesForURL(url: string): { [name: string]: string[] };
    /** Stores a cookie as if a response from url had set it. */
    set(url: string, name: string, value: string, options?: CookieOptions): void;
    /** The cookie name is no longer sent to url. */
    delete(url: string, name: string): void;
    /** Without url, empties the jar; with one, deletes the cookies sent to url. */
    clear(url?: string): void;
  }
  /** The VU's cookie jar, shared with its background scripts. */
  export function cookieJar(): CookieJar;
  interface Timings {
    blocked: number; connecting: number; tlsHandshaking: number; sending: number;
    waiting: number; receiving: number; duration: number;
  }
  interface Response {
    status: number;
    statusText: string;
    proto: string;
    url: string;
    headers: { [name: string]: string };
    body: string | ArrayBuffer | null;
    timings: Timings;
    error: string;
    /** 0 when a response came; else k6's numbers: 1050 timeout, 1060 cut by the end of the test, 1212 refused, 1220 reset, 1701 body not decodable, 1702 body larger than maxResponseBodySize, ... */
    errorCode: number;
    request: { method: string; url: string; headers: { [name: string]: string } };
    json(selector?: string): any;
  }
  type BatchRequest = [string, string, Body?, Params?] | { method: string; url: string; body?: Body; params?: Params };
  export function get(url: string, params?: Params): Response;
  export function head(url: string, params?: Params): Response;
  export function options(url: string, body?: Body | null, params?: Params): Response;
  export function del(url: string, body?: Body | null, params?: Params): Response;
  export function post(url: string, body?: Body | null, params?: Params): Response;
  export function put(url: string, body?: Body | null, params?: Params): Response;
  export function patch(url: string, body?: Body | null, params?: Params): Response;
  export function request(method: string, url: string, body?: Body | null, params?: Params): Response;
  export function asyncRequest(method: string, url: string, body?: Body | null, params?: Params): Promise<Response>;
  export function batch(requests: BatchRequest[]): Response[];
  export function batch(requests: { [name: string]: BatchRequest }): { [name: string]: Response };
  export function setDefaults(params: Params): void;
  const http: {
    get: typeof get; head: typeof head; options: typeof options; del: typeof del; post: typeof post;
    put: typeof put; patch: typeof patch; request: typeof request; asyncRequest: typeof asyncRequest;
    batch: typeof batch; setDefaults: typeof setDefaults; cookieJar: typeof cookieJar; CookieJar: typeof CookieJar;
  };
  export default http;
}

declare module 'jsload/metrics' {
  type Tags = { [name: string]: string };
  export class Trend { constructor(name: string, isTime?: boolean); readonly name: string; add(value: number, tags?: Tags): void; }
  export class Counter { constructor(name: string); readonly name: string; add(value: number, tags?: Tags): void; }
  export class Rate { constructor(name: string); readonly name: string; add(value: boolean | number, tags?: Tags): void; }
  export class Gauge { constructor(name: string); readonly name: string; add(value: number, tags?: Tags): void; }
}

declare module 'jsload/data' {
  interface Table {
    readonly name: string;
    readonly size: number;
    readonly index: number;
    readonly row: { [column: string]: string } | null;
    /** The next row, or null after the last; the VU's dictionary is not changed. */
    next(): { [column: string]: string } | null;
    hasNext(): boolean;
    reset(): void;
  }
  export function table(name: string): Table;
}

// ---------------------------------------------------------------------------
// WebSocket and Server-Sent Events (README: "WebSocket and Server-Sent Events")

declare module 'jsload/ws' {
  /** Params of connect() and new WebSocket(url, protocols, params). */
  interface WebSocketParams {
    /** Handshake headers (the VU's default headers and cookies are sent too). */
    headers?: { [name: string]: string };
    /** Subprotocols to offer (also new WebSocket's second argument). */
    protocols?: string | string[];
    /** Tags of the socket's samples; tags.name replaces the url tag. */
    tags?: { [name: string]: string };
    /** Handshake timeout: ms or '5s' (default 60 s). */
    timeout?: number | string;
    /** 'deflate': offer permessage-deflate. */
    compression?: 'deflate';
    insecureSkipTLSVerify?: boolean;
    /** Bytes; a longer message fails the socket (default 64 MiB). */
    maxMessageSize?: number;
    /** The jar whose cookies the handshake sends and sets (default the VU's). */
    jar?: import('jsload/http').CookieJar;
  }
  interface SocketEvent {
    readonly type: string;
    readonly target: WebSocket;
    /** Milliseconds since the epoch. */
    readonly timeStamp: number;
  }
  interface SocketMessageEvent extends SocketEvent {
    /** A string for a text message, an ArrayBuffer for a binary one. */
    readonly data: string | ArrayBuffer;
    readonly origin: string;
  }
  interface SocketCloseEvent extends SocketEvent {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
  }
  interface SocketErrorEvent extends SocketEvent {
    readonly message: string;
    readonly error: string;
  }
  interface SocketPingEvent extends SocketEvent {
    readonly data: string;
  }
  interface SocketEventMap {
    open: SocketEvent;
    message: SocketMessageEvent;
    error: SocketErrorEvent;
    close: SocketCloseEvent;
    ping: SocketPingEvent;
    pong: SocketPingEvent;
  }
  /**
   * A browser-like WebSocket. new WebSocket() connects in the background (onopen,
   * or onerror then onclose); connect() returns one already open. An open socket
   * keeps the function that opened it running until it has closed.
   */
  export class WebSocket {
    constructor(url: string, protocols?: string | string[] | null, params?: WebSocketParams);
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    static readonly CLOSING: 2;
    static readonly CLOSED: 3;
    readonly CONNECTING: 0;
    readonly OPEN: 1;
    readonly CLOSING: 2;
    readonly CLOSED: 3;
    readonly url: string;
    readonly readyState: 0 | 1 | 2 | 3;
    readonly protocol: string;
    readonly extensions: string;
    readonly bufferedAmount: number;
    /** Only 'arraybuffer'. */
    binaryType: 'arraybuffer';
    /** The last error's message, or null. */
    readonly error: string | null;
    /** The close code once closed, or null. */
    readonly closeCode: number | null;
    readonly closeReason: string;
    onopen: ((this: WebSocket, e: SocketEvent) => void) | null;
    onmessage: ((this: WebSocket, e: SocketMessageEvent) => void) | null;
    onerror: ((this: WebSocket, e: SocketErrorEvent) => void) | null;
    onclose: ((this: WebSocket, e: SocketCloseEvent) => void) | null;
    onping: ((this: WebSocket, e: SocketPingEvent) => void) | null;
    onpong: ((this: WebSocket, e: SocketPingEvent) => void) | null;
    addEventListener<K extends keyof SocketEventMap>(type: K, fn: (this: WebSocket, e: SocketEventMap[K]) => void, options?: { once?: boolean }): void;
    removeEventListener<K extends keyof SocketEventMap>(type: K, fn: (this: WebSocket, e: SocketEventMap[K]) => void): void;
    /** A string goes as text, an ArrayBuffer, typed array or DataView as binary. */
    send(data: string | ArrayBuffer | ArrayBufferView): void;
    /** Its pong is timed in ws_ping and fires onpong. */
    ping(): void;
    /** code: 1000 (default) or 3000–4999; reason: at most 123 bytes. */
    close(code?: number, reason?: string): void;
    /**
     * The next message's data, waiting at most timeout (ms or '1s'; none: until one
     * comes); null on timeout or once the socket is closed. Other events on the way
     * run their handlers; the message returned runs none.
     */
    receive(timeout?: number | string): string | ArrayBuffer | null;
  }
  /** Opens a socket and returns it open; throws when the handshake fails. */
  export function connect(url: string, params?: WebSocketParams): WebSocket;
  export const CONNECTING: 0;
  export const OPEN: 1;
  export const CLOSING: 2;
  export const CLOSED: 3;
  const ws: {
    WebSocket: typeof WebSocket; connect: typeof connect;
    CONNECTING: 0; OPEN: 1; CLOSING: 2; CLOSED: 3;
  };
  export default ws;
}

declare module 'jsload/sse' {
  interface EventSourceParams {
    headers?: { [name: string]: string };
    tags?: { [name: string]: string };
    /** Until the response's headers: ms or '5s' (default 60 s). */
    timeout?: number | string;
    /** The reconnection time until the server sends retry: (default 3 s). */
    retry?: number | string;
    /** Reconnect when the stream ends or is lost (default true). */
    reconnect?: boolean;
    method?: 'GET' | 'POST';
    body?: string;
    insecureSkipTLSVerify?: boolean;
    jar?: import('jsload/http').CookieJar;
    /** Accepted for browser code; a VU always sends its cookies. */
    withCredentials?: boolean;
  }
  interface SourceEvent {
    readonly type: string;
    readonly target: EventSource;
    readonly timeStamp: number;
  }
  interface SourceMessageEvent extends SourceEvent {
    readonly data: string;
    readonly lastEventId: string;
    readonly origin: string;
  }
  interface SourceErrorEvent extends SourceEvent {
    readonly message: string;
    /** The HTTP status of a refused connection, else 0. */
    readonly status: number;
  }
  interface ReceivedEvent {
    readonly type: string;
    readonly data: string;
    readonly lastEventId: string;
  }
  /**
   * A browser-like EventSource: named events through addEventListener, id and retry
   * fields, reconnection with Last-Event-ID. It keeps the function that opened it
   * running until it is closed.
   */
  export class EventSource {
    constructor(url: string, params?: EventSourceParams);
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    static readonly CLOSED: 2;
    readonly CONNECTING: 0;
    readonly OPEN: 1;
    readonly CLOSED: 2;
    readonly url: string;
    readonly withCredentials: boolean;
    readonly readyState: 0 | 1 | 2;
    /** The id of the last event received. */
    readonly lastEventId: string;
    onopen: ((this: EventSource, e: SourceEvent) => void) | null;
    onmessage: ((this: EventSource, e: SourceMessageEvent) => void) | null;
    onerror: ((this: EventSource, e: SourceErrorEvent) => void) | null;
    addEventListener(type: 'open', fn: (this: EventSource, e: SourceEvent) => void, options?: { once?: boolean }): void;
    addEventListener(type: 'error', fn: (this: EventSource, e: SourceErrorEvent) => void, options?: { once?: boolean }): void;
    addEventListener(type: string, fn: (this: EventSource, e: SourceMessageEvent) => void, options?: { once?: boolean }): void;
    removeEventListener(type: string, fn: (...args: any[]) => void): void;
    close(): void;
    /** The next event, waiting at most timeout; null on timeout or once closed. */
    receive(timeout?: number | string): ReceivedEvent | null;
  }
  /** Opens a source and returns it open; throws when its first connection fails. */
  export function connect(url: string, params?: EventSourceParams): EventSource;
  export const CONNECTING: 0;
  export const OPEN: 1;
  export const CLOSED: 2;
  const sse: { EventSource: typeof EventSource; connect: typeof connect; CONNECTING: 0; OPEN: 1; CLOSED: 2 };
  export default sse;
}

declare module 'k6/ws' {
  interface Params {
    headers?: { [name: string]: string };
    tags?: { [name: string]: string };
    compression?: 'deflate';
    timeout?: number | string;
    jar?: import('jsload/http').CookieJar;
  }
  interface Socket {
    on(event: 'open' | 'ping' | 'pong', fn: () => void): void;
    on(event: 'message', fn: (data: string) => void): void;
    on(event: 'binaryMessage', fn: (data: ArrayBuffer) => void): void;
    on(event: 'close', fn: (code: number) => void): void;
    on(event: 'error', fn: (e: { error(): string; message: string }) => void): void;
    send(data: string): void;
    sendBinary(data: ArrayBuffer): void;
    ping(): void;
    /** Default code 1001, as in k6. */
    close(code?: number): void;
    setTimeout(fn: () => void, ms: number): void;
    setInterval(fn: () => void, ms: number): void;
  }
  interface Response {
    url: string;
    status: number;
    headers: { [name: string]: string };
    body: string;
    error: string;
  }
  /** Blocks until the socket has closed, running its events and timers. */
  export function connect(url: string, params: Params | null, fn: (socket: Socket) => void): Response;
  export function connect(url: string, fn: (socket: Socket) => void): Response;
  const ws: { connect: typeof connect };
  export default ws;
}

declare module 'k6/websockets' {
  export { WebSocket } from 'jsload/ws';
}

declare module 'k6/experimental/websockets' {
  export { WebSocket } from 'jsload/ws';
}
