package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func testApp() *app { return newApp(serviceName, newLogger(io.Discard, serviceName)) }

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func requestCount(t *testing.T, metrics, path string, status int) int {
	t.Helper()
	prefix := `http_requests_total{method="GET",path="` + path + `",status="` + strconv.Itoa(status) + `"} `
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, prefix) {
			n, err := strconv.Atoi(strings.TrimPrefix(line, prefix))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	return 0
}

func TestHealth(t *testing.T) {
	a := testApp()
	server := httptest.NewServer(a)
	defer server.Close()

	for _, path := range []string{"/health/live", "/health/ready"} {
		res, body := get(t, server.URL+path)
		if res.StatusCode != http.StatusOK || strings.TrimSpace(body) != `{"status":"ok"}` {
			t.Errorf("GET %s = %d %s, want 200 {\"status\":\"ok\"}", path, res.StatusCode, body)
		}
	}

	a.shuttingDown.Store(true)
	if res, _ := get(t, server.URL+"/health/ready"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /health/ready while shutting down = %d, want 503", res.StatusCode)
	}
	if res, _ := get(t, server.URL+"/health/live"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /health/live while shutting down = %d, want 200", res.StatusCode)
	}
}

func TestIndex(t *testing.T) {
	server := httptest.NewServer(testApp())
	defer server.Close()

	res, body := get(t, server.URL+"/?greeting=1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); err != nil || got["service"] != serviceName {
		t.Errorf("GET / = %s, want the service name %q", body, serviceName)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	server := httptest.NewServer(testApp())
	defer server.Close()

	_, before := get(t, server.URL+"/metrics")
	get(t, server.URL+"/")
	res, body := get(t, server.URL+"/metrics")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q, want the Prometheus text format", ct)
	}
	if got, want := requestCount(t, body, "/", 200), requestCount(t, before, "/", 200)+1; got != want {
		t.Errorf("GET / counted %d times, want %d\n%s", got, want, body)
	}
	for _, pattern := range []string{
		`(?m)^# HELP http_requests_total .+$`,
		`(?m)^# TYPE http_requests_total counter$`,
		`(?m)^# TYPE http_request_duration_seconds histogram$`,
		`(?m)^http_request_duration_seconds_bucket\{method="GET",path="/",le="\+Inf"\} \d+$`,
		`(?m)^http_request_duration_seconds_count\{method="GET",path="/"\} \d+$`,
	} {
		if !regexp.MustCompile(pattern).MatchString(body) {
			t.Errorf("metrics do not match %s:\n%s", pattern, body)
		}
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	server := httptest.NewServer(testApp())
	defer server.Close()

	if res, _ := get(t, server.URL+"/no/such/path"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /no/such/path = %d, want 404", res.StatusCode)
	}
	res, err := http.Post(server.URL+"/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST / = %d (Allow %q), want 405 (Allow \"GET, HEAD\")", res.StatusCode, res.Header.Get("Allow"))
	}
	_, metrics := get(t, server.URL+"/metrics")
	if requestCount(t, metrics, "unmatched", 404) != 1 || strings.Contains(metrics, "no/such/path") {
		t.Errorf("unknown paths should be counted under path=\"unmatched\":\n%s", metrics)
	}
}

func TestGracefulShutdown(t *testing.T) {
	a := testApp()
	entered, release := make(chan struct{}), make(chan struct{})
	a.routes["/slow"] = func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		writeJSON(w, http.StatusOK, map[string]bool{"done": true})
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + listener.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	exitCode := make(chan int, 1)
	go func() { exitCode <- run(ctx, listener, a, 5*time.Second) }()

	inFlight := make(chan int, 1)
	go func() {
		res, err := http.Get(url + "/slow")
		if err != nil {
			inFlight <- 0
			return
		}
		res.Body.Close()
		inFlight <- res.StatusCode
	}()
	<-entered
	stop() // what SIGTERM does

	// New connections are refused once the listener is closed...
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.Dial("tcp", listener.Addr().String())
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// ...while the request in flight finishes.
	close(release)
	if status := <-inFlight; status != http.StatusOK {
		t.Errorf("in-flight request = %d, want 200", status)
	}
	if code := <-exitCode; code != 0 {
		t.Errorf("run returned %d, want 0", code)
	}
}
