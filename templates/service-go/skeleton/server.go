package main

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"
)

// Probes and scrapes arrive every few seconds; logging them would drown the
// requests that matter.
var quietPaths = map[string]bool{"/health/live": true, "/health/ready": true, "/metrics": true}

// app is the service's HTTP handler: routes by exact path, with request
// metrics and logs around every one of them.
type app struct {
	name         string
	logger       *Logger
	metrics      *metrics
	routes       map[string]http.HandlerFunc
	shuttingDown atomic.Bool
}

func newApp(name string, logger *Logger) *app {
	a := &app{name: name, logger: logger, metrics: newMetrics()}
	a.routes = map[string]http.HandlerFunc{
		"/":             a.index,
		"/health/live":  a.live,
		"/health/ready": a.ready,
		"/metrics":      a.serveMetrics,
	}
	return a
}

func (a *app) index(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"service": a.name, "message": "Hello from " + a.name})
}

func (a *app) live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready fails once shutting down, so the Service stops routing new requests here.
func (a *app) ready(w http.ResponseWriter, _ *http.Request) {
	if a.shuttingDown.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *app) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", metricsContentType)
	a.metrics.writeTo(w)
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	route, known := a.routes[r.URL.Path]
	// Unknown paths share one label value: raw paths would let any client
	// create unbounded metric series.
	label := r.URL.Path
	if !known {
		label = "unmatched"
	}
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.logger.Error("request failed", Fields{"method": r.Method, "path": r.URL.Path, "err": v})
			if rec.status == 0 {
				writeJSON(rec, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}
		seconds := time.Since(started).Seconds()
		a.metrics.observe(r.Method, label, rec.statusCode(), seconds)
		if !quietPaths[label] {
			a.logger.Info("request", Fields{
				"method":      r.Method,
				"path":        r.URL.Path,
				"status":      rec.statusCode(),
				"duration_ms": float64(time.Since(started).Microseconds()) / 1000,
			})
		}
	}()

	switch {
	case !known:
		writeJSON(rec, http.StatusNotFound, map[string]string{"error": "not found"})
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		rec.Header().Set("Allow", "GET, HEAD")
		writeJSON(rec, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	default:
		route(rec, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// statusRecorder remembers the status code a handler sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
