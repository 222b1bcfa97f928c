package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the ratelimit-doctor program once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ratelimit-doctor")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startChild runs `ratelimit-doctor serve` on addr with dataDir and waits
// until /readyz answers.
func startChild(t *testing.T, bin, addr, dataDir string, logs io.Writer) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "RLD_ADDR="+addr, "RLD_DATA_DIR="+dataDir, "RLD_RATE_LIMIT=0")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestKill9WhileSaving: reports are saved over HTTP by several clients, the
// process is killed with SIGKILL mid-stream, restarted on the same data
// directory, and every save that was acknowledged (201 received) must be
// there and intact.
func TestKill9WhileSaving(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freePort(t)
	var logs syncBuffer
	cmd := startChild(t, bin, addr, dataDir, &logs)

	type ack struct{ id, marker string }
	var mu sync.Mutex
	var acked []ack
	var attempted int
	stopSaving := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stopSaving:
					return
				default:
				}
				marker := fmt.Sprintf("kill-test-%d-%d", w, i)
				body, _ := json.Marshal(map[string]any{"title": marker, "files": []map[string]string{{"name": "agents.py", "content": "# " + marker + "\n" + smallAgent}}})
				mu.Lock()
				attempted++
				mu.Unlock()
				resp, err := client.Post("http://"+addr+"/api/v1/reports", jsonCT, bytes.NewReader(body))
				if err != nil {
					return // the server is gone
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 201 {
					continue
				}
				var saved SavedJSON
				if json.Unmarshal(b, &saved) == nil && saved.ID != "" {
					mu.Lock()
					acked = append(acked, ack{saved.ID, marker})
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(stopSaving)
	wg.Wait()
	mu.Lock()
	n := len(acked)
	mu.Unlock()
	if n < 10 {
		t.Fatalf("only %d saves acknowledged before the kill; logs:\n%s", n, logs.String())
	}

	startChild(t, bin, addr, dataDir, &logs)
	missing := 0
	for _, a := range acked {
		resp, err := client.Get("http://" + addr + "/reports/" + a.id)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), a.marker) {
			missing++
			t.Errorf("acknowledged report %s (%s): %d after restart", a.id, a.marker, resp.StatusCode)
			continue
		}
		resp, err = client.Get("http://" + addr + "/api/v1/reports/" + a.id)
		if err != nil {
			t.Fatal(err)
		}
		var rep map[string]any
		err = json.NewDecoder(resp.Body).Decode(&rep)
		resp.Body.Close()
		if err != nil || rep["version"] == nil {
			t.Errorf("report %s JSON not intact: %v", a.id, err)
		}
	}
	t.Logf("kill -9: %d saves attempted, %d acknowledged, %d found intact after restart", attempted, n, n-missing)
}
