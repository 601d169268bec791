// Package testnet holds the network helpers that tests of several packages
// share: addresses on which nothing listens, for refused-connection cases.
package testnet
