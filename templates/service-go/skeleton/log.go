package main

import (
	"encoding/json"
	"io"
	"log"
	"strings"
	"sync"
	"time"
)

// Fields are the structured parts of a log entry.
type Fields map[string]any

// Logger writes one JSON object per line: the format the cluster's log
// collector parses without extra configuration.
type Logger struct {
	mu      sync.Mutex
	w       io.Writer
	service string
}

func newLogger(w io.Writer, service string) *Logger {
	return &Logger{w: w, service: service}
}

func (l *Logger) Info(msg string, fields Fields)  { l.log("info", msg, fields) }
func (l *Logger) Warn(msg string, fields Fields)  { l.log("warn", msg, fields) }
func (l *Logger) Error(msg string, fields Fields) { l.log("error", msg, fields) }

func (l *Logger) log(level, msg string, fields Fields) {
	entry := make(map[string]any, len(fields)+4)
	for k, v := range fields {
		entry[k] = v
	}
	entry["time"] = time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")
	entry["level"] = level
	entry["msg"] = msg
	entry["service"] = l.service
	line, err := json.Marshal(entry)
	if err != nil {
		line, _ = json.Marshal(map[string]string{"level": "error", "msg": "unloggable entry: " + err.Error()})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(append(line, '\n'))
}

// stdLogger routes net/http's own error messages into the JSON log.
func (l *Logger) stdLogger() *log.Logger {
	return log.New(writerFunc(func(p []byte) (int, error) {
		l.Warn(strings.TrimSpace(string(p)), nil)
		return len(p), nil
	}), "", 0)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
