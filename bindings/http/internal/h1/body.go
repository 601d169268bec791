package h1

import (
	"context"
	"errors"
	"io"
)

// pooledBody is a response body on a pooled connection, framed by its
// Content-Length, by chunks, or by the end of the connection. Read to its end
// and closed, it gives the connection back.
type pooledBody struct {
	t        *Transport
	c        *conn
	ctx      context.Context // the request's: when it ends, reads fail with its error
	remain   int64           // bytes left of a Content-Length body; -1 otherwise
	chunks   io.Reader       // the chunked decoder of a chunked body
	reusable bool            // the connection may serve another request after this body
	eof      bool
	done     bool
}

var errBodyClosed = errors.New("read on a closed response body")

func (b *pooledBody) Read(p []byte) (n int, err error) {
	switch {
	case b.done:
		return 0, errBodyClosed
	case b.eof:
		return 0, io.EOF
	case b.chunks != nil:
		n, err = b.chunks.Read(p)
		if err == io.EOF {
			if err = b.c.skipTrailer(); err == nil {
				err = io.EOF
			}
		}
	case b.remain >= 0:
		if int64(len(p)) > b.remain {
			p = p[:b.remain]
		}
		if len(p) == 0 {
			err = io.EOF
			break
		}
		n, err = b.c.br.Read(p)
		b.remain -= int64(n)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		} else if err == nil && b.remain == 0 {
			err = io.EOF
		}
	default: // to the end of the connection
		n, err = b.c.br.Read(p)
		b.reusable = false
	}
	if err == io.EOF {
		b.eof = true
	} else if err != nil {
		b.reusable = false
		if ctxErr := b.ctx.Err(); ctxErr != nil {
			err = ctxErr // the I/O was aborted by the cancellation
		}
	}
	return n, err
}

// Close gives the connection back when the body was read to its end, or ends
// within the bytes already received; otherwise it closes the connection.
func (b *pooledBody) Close() error {
	if b.done {
		return nil
	}
	// The rest of a Content-Length body already received is skipped; any
	// other unread body closes the connection, since reading it could block.
	if !b.eof && b.reusable && b.chunks == nil && b.remain >= 0 && b.remain <= int64(b.c.br.Buffered()) {
		_, _ = b.c.br.Discard(int(b.remain))
		b.remain, b.eof = 0, true
	}
	b.done = true
	b.t.release(b.c, b.ctx, b.reusable && b.eof)
	b.t, b.c, b.ctx, b.chunks = nil, nil, nil, nil // a response kept by the caller keeps no connection
	return nil
}
