package http

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/dop251/goja"
	"github.com/klauspost/compress/zstd"

	"github.com/jsload/jsload/bindings"
)

// parseK6Param applies one of k6's params that jsload/http lacks (compression,
// responseCallback) to r.
func (r *request) parseK6Param(key string, val goja.Value) error {
	if key == "compression" {
		return r.compress(val.String())
	}
	e, ok := val.Export().(*ExpectedStatuses)
	if !ok {
		return fmt.Errorf("want http.expectedStatuses(...) or null, got %s", val)
	}
	r.expect = e
	return nil
}

// compress compresses the body with each algorithm of the comma-separated list
// in turn (gzip, deflate, br, zstd) and says so in Content-Encoding.
func (r *request) compress(list string) error {
	var algos []string
	for _, a := range strings.Split(list, ",") {
		if a = strings.TrimSpace(a); a != "" {
			algos = append(algos, a)
		}
	}
	if len(algos) == 0 {
		return nil
	}
	body := []byte(r.body)
	for _, a := range algos {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch a {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		case "br":
			w = brotli.NewWriter(&buf)
		case "zstd":
			w, _ = zstd.NewWriter(&buf) // no options: never fails
		default:
			return fmt.Errorf("unknown compression algorithm %q: want gzip, deflate, br or zstd", a)
		}
		if _, err := w.Write(body); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		body = buf.Bytes()
	}
	r.body, r.hasBody = string(body), true
	r.ownHeader().Set("Content-Encoding", strings.Join(algos, ", "))
	return nil
}

// hasFile reports whether a field of a body object is a File (http.file).
func hasFile(obj *goja.Object) bool {
	for _, k := range obj.Keys() {
		if _, ok := obj.Get(k).Export().(*File); ok {
			return true
		}
	}
	return false
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// multipartBody encodes an object with File fields as multipart/form-data, the
// fields in their order; it returns the body and its content type.
func multipartBody(obj *goja.Object) (string, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range obj.Keys() {
		v := obj.Get(k)
		var part io.Writer
		var err error
		data := []byte(nil)
		if f, ok := v.Export().(*File); ok {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(k), quoteEscaper.Replace(f.Filename)))
			h.Set("Content-Type", f.ContentType)
			part, err = w.CreatePart(h)
			data = f.Data
		} else {
			part, err = w.CreateFormField(k)
			if !bindings.IsNullish(v) {
				data = []byte(v.String())
			}
		}
		if err == nil {
			_, err = part.Write(data)
		}
		if err != nil {
			return "", "", fmt.Errorf("multipart body: field %s: %w", k, err)
		}
	}
	if err := w.Close(); err != nil {
		return "", "", fmt.Errorf("multipart body: %w", err)
	}
	return buf.String(), w.FormDataContentType(), nil
}
