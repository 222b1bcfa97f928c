package budget

import (
	"fmt"
	"strings"
)

// LayerKind names a place where a failed model call can be tried again.
type LayerKind string

const (
	// LayerSDK is the openai/anthropic client's own retry (max_retries, default 2).
	LayerSDK LayerKind = "sdk"
	// LayerFailover is AutoGen 0.2's walk over config_list entries: each entry
	// is tried once (with its own SDK retries) before the error is raised.
	LayerFailover LayerKind = "failover"
	// LayerApp is a hand-written loop around a chat or run (for/while + try/except).
	LayerApp LayerKind = "app"
	// LayerTenacity is a tenacity @retry decorator or Retrying block.
	LayerTenacity LayerKind = "tenacity"
	// LayerBackoff is a backoff.on_exception decorator.
	LayerBackoff LayerKind = "backoff"
	// LayerGateway is a proxy (LiteLLM, Helicone, ...) that retries upstream.
	LayerGateway LayerKind = "gateway"
)

// DefaultSDKRetries is openai-python's and anthropic-sdk-python's
// DEFAULT_MAX_RETRIES (reference §3): a client nobody configured retries twice.
const DefaultSDKRetries = 2

// Layer is one retry layer found in a person's setup.
type Layer struct {
	Kind LayerKind
	// Attempts is how many times this layer tries each call it receives:
	// 1 + retries for a retry layer, the number of entries for failover.
	Attempts int
	// Backoff says whether the waits between attempts grow (and ideally honour Retry-After).
	Backoff bool
	// HonoursRetryAfter says whether the layer reads the Retry-After header (the SDK does).
	HonoursRetryAfter bool
	// Default marks a value nobody set (the SDK's 2 retries).
	Default bool
	// Where points at the setting ("agents.py:14"), empty when implicit.
	Where string
}

// SDKLayer builds the client layer from a max_retries value; a negative value
// means "not set", which is the SDK default of 2 retries.
func SDKLayer(maxRetries int, where string) Layer {
	l := Layer{Kind: LayerSDK, Backoff: true, HonoursRetryAfter: true, Where: where}
	if maxRetries < 0 {
		maxRetries, l.Default = DefaultSDKRetries, true
	}
	l.Attempts = 1 + maxRetries
	return l
}

// Amplification is the worst case of one logical call through every layer.
type Amplification struct {
	Layers []Layer
	// PerCall is the product of every layer's attempts: the HTTP requests one
	// logical model call can turn into before the error reaches the person.
	PerCall int
	// SharedBy is how many agents or runs draw on the same key at once.
	SharedBy int
	// Burst is PerCall × SharedBy: requests that can hit one key's bucket
	// when every sharer fails at once and retries.
	Burst int
	// Formula spells the multiplication out, e.g. "3 (SDK) × 5 (app loop) = 15".
	Formula string
	// Keep names the single layer that should keep retrying, and why.
	Keep string
	// Changes says what to set on every other layer.
	Changes []string
}

// Amplify multiplies the layers. Layers with Attempts < 1 count as 1 (they
// make the call once and never again). sharedBy < 1 counts as 1.
func Amplify(layers []Layer, sharedBy int) Amplification {
	if sharedBy < 1 {
		sharedBy = 1
	}
	a := Amplification{Layers: layers, PerCall: 1, SharedBy: sharedBy}
	var parts []string
	for _, l := range layers {
		n := l.Attempts
		if n < 1 {
			n = 1
		}
		a.PerCall *= n
		parts = append(parts, fmt.Sprintf("%d (%s)", n, l.label()))
	}
	if len(parts) == 0 {
		parts = []string{"1 (no retry layer)"}
	}
	a.Burst = a.PerCall * sharedBy
	a.Formula = strings.Join(parts, " × ") + fmt.Sprintf(" = %d requests per call", a.PerCall)
	if sharedBy > 1 {
		a.Formula += fmt.Sprintf("; × %d sharing one key = %d at once", sharedBy, a.Burst)
	}
	a.Keep, a.Changes = chooseKeeper(layers)
	return a
}

func (l Layer) label() string {
	switch l.Kind {
	case LayerSDK:
		if l.Default {
			return "client: 1 + default max_retries 2"
		}
		return fmt.Sprintf("client: 1 + max_retries %d", l.Attempts-1)
	case LayerFailover:
		return fmt.Sprintf("AutoGen failover over %d config_list entries", l.Attempts)
	case LayerApp:
		return "app retry loop"
	case LayerTenacity:
		return "tenacity @retry"
	case LayerBackoff:
		return "backoff.on_exception"
	case LayerGateway:
		return "gateway retries"
	}
	return string(l.Kind)
}

// chooseKeeper picks the one layer that should retry. The rule: keep the
// innermost layer that backs off and honours Retry-After (the SDK does both,
// reference §3) unless the app has its own layer with backoff, in which case
// that one is kept (it can also catch errors the SDK never sees, such as a
// RuntimeError wrapping a 429 from a 0.4 team) and the client is set to
// max_retries=0. Failover over config entries is not a retry on the same
// bucket when the entries use different keys, so it is left alone.
func chooseKeeper(layers []Layer) (keep string, changes []string) {
	var app *Layer
	for i := range layers {
		l := &layers[i]
		if (l.Kind == LayerTenacity || l.Kind == LayerBackoff || l.Kind == LayerApp) && l.Backoff && app == nil {
			app = l
		}
	}
	outer := 0
	for _, l := range layers {
		if l.Kind != LayerSDK && l.Kind != LayerFailover && l.Attempts > 1 {
			outer++
		}
	}
	if app != nil {
		keep = fmt.Sprintf("Keep the %s (it backs off); set max_retries=0 on the model client so it is the only layer.", app.label())
		for _, l := range layers {
			if l == *app {
				continue
			}
			switch l.Kind {
			case LayerSDK:
				changes = append(changes, "model client: max_retries=0")
			case LayerApp, LayerTenacity, LayerBackoff:
				changes = append(changes, fmt.Sprintf("remove the %s", l.label()))
			case LayerGateway:
				changes = append(changes, "gateway: turn its retries off (LiteLLM: num_retries: 0)")
			}
		}
		return keep, changes
	}
	keep = "Keep the model client's own retries (exponential backoff with jitter; it honours Retry-After)."
	for _, l := range layers {
		switch l.Kind {
		case LayerApp, LayerTenacity, LayerBackoff:
			changes = append(changes, fmt.Sprintf("remove the %s (it does not back off)", l.label()))
		case LayerGateway:
			changes = append(changes, "gateway: turn its retries off (LiteLLM: num_retries: 0)")
		}
	}
	if outer == 0 {
		keep = "One retry layer already: the model client's. Nothing to remove."
	}
	return keep, changes
}
