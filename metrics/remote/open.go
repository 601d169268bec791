package remote

import (
	"net/http"
	"strings"

	"github.com/jsload/jsload/metrics"
)

// Open creates the output named by a --out value when it is one of this
// package's: "prometheus=URL" or "influxdb=URL". ok is false for other kinds
// (json=, csv=), which metrics.OpenOutput opens.
func Open(spec string) (out metrics.Output, ok bool, err error) {
	kind, target, _ := strings.Cut(spec, "=")
	// A transport of its own: closing the output closes its idle connections,
	// which on http.DefaultTransport would cut another output's (or anything
	// else's) connection being set up.
	client := &http.Client{Timeout: writeTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	switch kind {
	case "prometheus":
		p, err := NewPrometheus(target, client)
		if err != nil {
			return nil, true, err
		}
		return closing{p, client}, true, nil
	case "influxdb":
		o, err := NewInfluxDB(target, client)
		if err != nil {
			return nil, true, err
		}
		return closing{o, client}, true, nil
	}
	return nil, false, nil
}

// closing releases an output's HTTP connections when it is closed.
type closing struct {
	metrics.Output
	client *http.Client
}

func (c closing) Close() error {
	err := c.Output.Close()
	c.client.CloseIdleConnections()
	return err
}
