package metrics

// Builtins gives direct access to the metrics every run registers (the fields
// below), so that hot paths never look a metric up by name. Obtain it from Registry.Builtins.
type Builtins struct {
	HTTPReqs              *Metric // Counter: HTTP requests made
	HTTPReqDuration       *Metric // Trend (ms): sending + waiting + receiving
	HTTPReqBlocked        *Metric // Trend (ms): waiting for a free connection
	HTTPReqConnecting     *Metric // Trend (ms): TCP connect
	HTTPReqTLSHandshaking *Metric // Trend (ms): TLS handshake
	HTTPReqSending        *Metric // Trend (ms): writing the request
	HTTPReqWaiting        *Metric // Trend (ms): time to first byte
	HTTPReqReceiving      *Metric // Trend (ms): reading the body
	HTTPReqFailed         *Metric // Rate: requests that failed (status 0 or unexpected)
	DataSent              *Metric // Counter (bytes)
	DataReceived          *Metric // Counter (bytes)

	Iterations        *Metric // Counter: completed iterations
	IterationDuration *Metric // Trend (ms)
	IterationsFailed  *Metric // Counter: iterations ended by an exception or fail()
	DroppedIterations *Metric // Counter: arrival-rate iterations that found no free VU
	VUs               *Metric // Gauge: active VUs
	VUsMax            *Metric // Gauge: allocated VUs

	Checks              *Metric // Rate, tagged check=<name>; see Sink.Check
	TransactionDuration *Metric // Trend (ms), tagged transaction=<name>; see Sink.Transaction
	Transactions        *Metric // Rate: passed transactions, tagged transaction=<name>

	// BackgroundScripts counts background scripts that ended, tagged
	// status=completed|canceled|faulted and script=<id>.
	BackgroundScripts      *Metric
	SyncWaitDuration       *Metric // Trend (ms): time spent in waitForSynchronizationPoint
	RendezvousWaitDuration *Metric // Trend (ms): time spent in rendezvous
}

// Tag keys used by the helpers of this package.
const (
	TagCheck       = "check"
	TagTransaction = "transaction"
)

// builtinDefs lists the built-in metrics in registration order.
func builtinDefs(b *Builtins) []struct {
	name     string
	typ      Type
	contains ValueType
	field    **Metric
} {
	type def = struct {
		name     string
		typ      Type
		contains ValueType
		field    **Metric
	}
	return []def{
		{"http_reqs", Counter, Default, &b.HTTPReqs},
		{"http_req_duration", Trend, Time, &b.HTTPReqDuration},
		{"http_req_blocked", Trend, Time, &b.HTTPReqBlocked},
		{"http_req_connecting", Trend, Time, &b.HTTPReqConnecting},
		{"http_req_tls_handshaking", Trend, Time, &b.HTTPReqTLSHandshaking},
		{"http_req_sending", Trend, Time, &b.HTTPReqSending},
		{"http_req_waiting", Trend, Time, &b.HTTPReqWaiting},
		{"http_req_receiving", Trend, Time, &b.HTTPReqReceiving},
		{"http_req_failed", Rate, Default, &b.HTTPReqFailed},
		{"data_sent", Counter, Data, &b.DataSent},
		{"data_received", Counter, Data, &b.DataReceived},
		{"iterations", Counter, Default, &b.Iterations},
		{"iteration_duration", Trend, Time, &b.IterationDuration},
		{"iterations_failed", Counter, Default, &b.IterationsFailed},
		{"dropped_iterations", Counter, Default, &b.DroppedIterations},
		{"vus", Gauge, Default, &b.VUs},
		{"vus_max", Gauge, Default, &b.VUsMax},
		{"checks", Rate, Default, &b.Checks},
		{"transaction_duration", Trend, Time, &b.TransactionDuration},
		{"transactions", Rate, Default, &b.Transactions},
		{"background_scripts", Counter, Default, &b.BackgroundScripts},
		{"sync_wait_duration", Trend, Time, &b.SyncWaitDuration},
		{"rendezvous_wait_duration", Trend, Time, &b.RendezvousWaitDuration},
	}
}
