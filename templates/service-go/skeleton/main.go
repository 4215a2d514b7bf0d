// Command ${{ values.name }} is an HTTP service built on the standard library only.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Filled in when the service was created from its template.
const (
	serviceName = "${{ values.name }}"
	defaultPort = ${{ values.port }}
)

type config struct {
	port int
	// How long in-flight requests may take to finish after SIGTERM: below the
	// pod's default 30 s grace period, so we exit before the kubelet kills us.
	shutdownTimeout time.Duration
}

func loadConfig(getenv func(string) string) (config, error) {
	port, err := intFromEnv(getenv, "PORT", defaultPort)
	if err != nil {
		return config{}, err
	}
	timeout, err := intFromEnv(getenv, "SHUTDOWN_TIMEOUT_SECONDS", 20)
	if err != nil {
		return config{}, err
	}
	return config{port: port, shutdownTimeout: time.Duration(timeout) * time.Second}, nil
}

func intFromEnv(getenv func(string) string, name string, fallback int) (int, error) {
	value := strings.TrimSpace(getenv(name))
	if value == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a non-negative integer, got %q", name, value)
	}
	return n, nil
}

func main() {
	logger := newLogger(os.Stdout, serviceName)
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		logger.Error("invalid configuration", Fields{"err": err.Error()})
		os.Exit(1)
	}
	// Kubernetes sends SIGTERM before removing a pod; SIGINT is Ctrl-C locally.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.port))
	if err != nil {
		logger.Error("cannot listen", Fields{"err": err.Error()})
		os.Exit(1)
	}
	os.Exit(run(ctx, listener, newApp(serviceName, logger), cfg.shutdownTimeout))
}

// run serves until ctx is done, then shuts down gracefully: it stops
// accepting connections and waits for the requests in flight. It returns the
// process exit code: 0 when every request finished within the timeout.
func run(ctx context.Context, listener net.Listener, a *app, shutdownTimeout time.Duration) int {
	server := &http.Server{
		Handler:           a,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          a.logger.stdLogger(),
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	a.logger.Info("listening", Fields{"port": listener.Addr().(*net.TCPAddr).Port})

	select {
	case err := <-served:
		a.logger.Error("server failed", Fields{"err": err.Error()})
		return 1
	case <-ctx.Done():
	}

	a.logger.Info("shutting down", nil)
	a.shuttingDown.Store(true)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// Shutdown closes the listener and idle keep-alive connections, then
	// waits for active ones to finish their request.
	if err := server.Shutdown(shutdownCtx); err != nil {
		a.logger.Warn("stopped before in-flight requests finished", Fields{"timeout": shutdownTimeout.String()})
		return 1
	}
	a.logger.Info("stopped", nil)
	return 0
}
