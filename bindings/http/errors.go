package http

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"
	"time"
)

// Error codes of failed requests (the response's errorCode), the same numbers as
// k6's where they overlap so dashboards and habits carry over. 0 means the request
// got a response, whatever its status.
const (
	codeGeneric          = 1000
	codeNetwork          = 1010 // a network error that is not TCP
	codeTimeout          = 1050 // params.timeout elapsed
	codeInterrupted      = 1060 // cut by the end of the test (or of its VU or script): jsload's own
	codeDNS              = 1100
	codeNoHost           = 1101 // no IP address found for the host
	codeTCP              = 1200
	codeBrokenPipe       = 1201 // the server closed the connection while we wrote
	codeDial             = 1210
	codeDialTimeout      = 1211
	codeRefused          = 1212 // connection refused
	codeReset            = 1220 // connection reset by the server
	codeTLS              = 1300
	codeUnknownCA        = 1310 // certificate signed by an unknown authority
	codeHostnameMismatch = 1311 // certificate not valid for the host
	codeDecode           = 1701 // the body could not be decoded from its Content-Encoding
	codeBodyTooLarge     = 1702 // the body is larger than maxResponseBodySize
)

// classify turns a transport error into the response's error message and code.
// timedOut says the request's own timeout ended it.
func classify(err error, timeout time.Duration, timedOut bool) (string, int) {
	if timedOut {
		return "request timeout after " + timeout.String(), codeTimeout
	}
	if errors.Is(err, context.Canceled) {
		return "request canceled: the VU is stopping", codeGeneric
	}
	var (
		dnsErr  *net.DNSError
		unkCA   x509.UnknownAuthorityError
		badHost x509.HostnameError
		cvErr   *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		opErr   *net.OpError
	)
	msg := err.Error()
	switch {
	case errors.As(err, new(*bodyTooLargeError)):
		return msg, codeBodyTooLarge
	case errors.Is(err, errDecode):
		return msg, codeDecode
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return msg, codeNoHost
		}
		return msg, codeDNS
	case errors.As(err, &unkCA):
		return msg + " (pass insecureSkipTLSVerify: true to accept it)", codeUnknownCA
	case errors.As(err, &badHost):
		return msg + " (pass insecureSkipTLSVerify: true to accept it)", codeHostnameMismatch
	case errors.As(err, &cvErr), errors.As(err, &recErr), errors.As(err, &alert):
		return msg, codeTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		return msg, codeRefused
	case errors.Is(err, syscall.ECONNRESET):
		return msg, codeReset
	case errors.Is(err, syscall.EPIPE):
		return msg, codeBrokenPipe
	case errors.As(err, &opErr):
		if opErr.Op == "dial" {
			if opErr.Timeout() {
				return msg, codeDialTimeout
			}
			return msg, codeDial
		}
		if opErr.Net == "tcp" || opErr.Net == "tcp4" || opErr.Net == "tcp6" {
			return msg, codeTCP
		}
		return msg, codeNetwork
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return msg + " (the server closed the connection)", codeTCP
	}
	return msg, codeGeneric
}
