package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// Upper bounds (seconds) of the request duration histogram buckets.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type requestKey struct {
	method, path string
	status       int
}

type routeKey struct{ method, path string }

type histogram struct {
	counts []uint64 // per bucket, cumulative
	sum    float64
	count  uint64
}

// metrics holds request metrics and renders them in the Prometheus text
// exposition format (version 0.0.4).
type metrics struct {
	mu        sync.Mutex
	requests  map[requestKey]uint64
	durations map[routeKey]*histogram
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, durations: map[routeKey]*histogram{}}
}

func (m *metrics) observe(method, path string, status int, seconds float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, path, status}]++
	h := m.durations[routeKey{method, path}]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.durations[routeKey{method, path}] = h
	}
	for i, le := range buckets {
		if seconds <= le {
			h.counts[i]++
		}
	}
	h.sum += seconds
	h.count++
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func labels(pairs ...string) string {
	parts := make([]string, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, fmt.Sprintf(`%s="%s"`, pairs[i], labelEscaper.Replace(pairs[i+1])))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func (m *metrics) writeTo(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()

	// Sorted, so successive scrapes list series in the same order.
	requestKeys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		requestKeys = append(requestKeys, k)
	}
	sort.Slice(requestKeys, func(i, j int) bool {
		a, b := requestKeys[i], requestKeys[j]
		if a.path != b.path {
			return a.path < b.path
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	fmt.Fprintln(w, "# HELP http_requests_total Total HTTP requests handled, by method, path and status code.")
	fmt.Fprintln(w, "# TYPE http_requests_total counter")
	for _, k := range requestKeys {
		fmt.Fprintf(w, "http_requests_total%s %d\n", labels("method", k.method, "path", k.path, "status", strconv.Itoa(k.status)), m.requests[k])
	}

	routeKeys := make([]routeKey, 0, len(m.durations))
	for k := range m.durations {
		routeKeys = append(routeKeys, k)
	}
	sort.Slice(routeKeys, func(i, j int) bool {
		a, b := routeKeys[i], routeKeys[j]
		return a.path < b.path || (a.path == b.path && a.method < b.method)
	})
	fmt.Fprintln(w, "# HELP http_request_duration_seconds Time to handle an HTTP request, by method and path.")
	fmt.Fprintln(w, "# TYPE http_request_duration_seconds histogram")
	for _, k := range routeKeys {
		h := m.durations[k]
		for i, le := range buckets {
			fmt.Fprintf(w, "http_request_duration_seconds_bucket%s %d\n", labels("method", k.method, "path", k.path, "le", formatFloat(le)), h.counts[i])
		}
		fmt.Fprintf(w, "http_request_duration_seconds_bucket%s %d\n", labels("method", k.method, "path", k.path, "le", "+Inf"), h.count)
		fmt.Fprintf(w, "http_request_duration_seconds_sum%s %s\n", labels("method", k.method, "path", k.path), formatFloat(h.sum))
		fmt.Fprintf(w, "http_request_duration_seconds_count%s %d\n", labels("method", k.method, "path", k.path), h.count)
	}
}
