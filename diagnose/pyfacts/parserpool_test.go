package pyfacts

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestParsersReusedConcurrently parses different scripts from several
// goroutines at once through the shared idle parsers: every result must be
// its own script's, whichever parser it got.
func TestParsersReusedConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				name := fmt.Sprintf("agent_%d_%d", g, i)
				src := fmt.Sprintf("from autogen import AssistantAgent\n%s = AssistantAgent(name=%q, llm_config={})\n", name, name)
				f, err := Parse(context.Background(), []byte(src))
				if err != nil {
					errs <- err
					return
				}
				if len(f.Constructs) != 1 || f.Constructs[0].Var != name {
					errs <- fmt.Errorf("script %s: constructs %+v", name, f.Constructs)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, []byte("x = 1\n")); err == nil {
		t.Error("a cancelled context parsed")
	}
	if _, err := Parse(context.Background(), []byte("x = 1\n")); err != nil {
		t.Errorf("after a cancelled parse: %v", err)
	}
}
