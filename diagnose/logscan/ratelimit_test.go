package logscan

import (
	"strings"
	"testing"
	"time"
)

// The texts are the verbatim bodies collected in the shared reference (§4),
// with organisation ids shortened where the issue threads already had them masked.
func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		provider   Provider
		via        string
		kind       Kind
		limit      int64
		used       int64
		requested  int64
		retryAfter time.Duration
		model      string
		tier       string
		tooLarge   bool
	}{
		{
			name:     "openai rpm free tier",
			text:     `Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-erQx1ZrQBcN6XYo3YE on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more. You can increase your rate limit by adding a payment method to your account at https://platform.openai.com/account/billing.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}`,
			provider: ProviderOpenAI, kind: KindRPM, limit: 3, used: 3, requested: 1, retryAfter: 20 * time.Second, model: "gpt-4o-mini", tier: "free tier",
		},
		{
			name:     "openai tpm",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4 in organization org-********** on tokens per min (TPM): Limit 10000, Used 9348, Requested 5086. Please try again in 26.604s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}`,
			provider: ProviderOpenAI, kind: KindTPM, limit: 10000, used: 9348, requested: 5086, retryAfter: 26604 * time.Millisecond, model: "gpt-4",
		},
		{
			name:     "openai tpm hours",
			text:     `Rate limit reached for gpt-4o-mini in organization org-abcdefgh on tokens per min (TPM): Limit 100000, Used 99918, Requested 2094. Please try again in 14h29m11.04s. You can increase your rate limit by adding a payment method`,
			provider: ProviderOpenAI, kind: KindTPM, limit: 100000, used: 99918, requested: 2094, retryAfter: 14*time.Hour + 29*time.Minute + 11040*time.Millisecond, model: "gpt-4o-mini", tier: "free tier",
		},
		{
			name:     "request too large",
			text:     `Error code: 429 - {'error': {'message': 'Request too large for gpt-4o in organization org-abcdefgh on tokens per min (TPM): Limit 30000, Requested 30601. The input or output tokens must be reduced in order to run successfully.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}`,
			provider: ProviderOpenAI, kind: KindTPM, limit: 30000, requested: 30601, model: "gpt-4o", tooLarge: true,
		},
		{
			name:     "openai 2023 format",
			text:     `RateLimitError: Rate limit reached for default-gpt-4 in organization org-abcdefgh on tokens per min. Limit: 40000 / min. Please try again in 1ms. Contact us through our help center at help.openai.com if you continue to have issues.`,
			provider: ProviderOpenAI, kind: KindTPM, limit: 40000, retryAfter: time.Millisecond, model: "default-gpt-4",
		},
		{
			name:     "openai 2023 rpm via langchain tenacity",
			text:     `Retrying langchain.chat_models.openai.ChatOpenAI.completion_with_retry.<locals>._completion_with_retry in 2.0 seconds as it raised RateLimitError: Rate limit reached for default-gpt-3.5-turbo in organization org-xxx on requests per min. Limit: 3 / min. Please try again in 20s.`,
			provider: ProviderOpenAI, kind: KindRPM, limit: 3, retryAfter: 20 * time.Second, model: "default-gpt-3.5-turbo", tier: "free tier",
		},
		{
			name:     "insufficient quota",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}`,
			provider: ProviderOpenAI, kind: KindInsufficientQuota,
		},
		{
			name:     "insufficient quota through litellm",
			text:     `litellm.RateLimitError: RateLimitError: OpenAIException - Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}`,
			provider: ProviderOpenAI, via: "litellm", kind: KindInsufficientQuota,
		},
		{
			name:     "azure token rate daily",
			text:     `Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-08-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.'}}`,
			provider: ProviderAzure, kind: KindAzureTokenRate, retryAfter: 86400 * time.Second, tier: "OpenAI S0",
		},
		{
			name:     "azure call rate",
			text:     `Requests to the Embeddings_Create Operation under Azure OpenAI API version 2023-06-01-preview have exceeded the call rate limit of your current OpenAI S0 pricing tier. Please retry after 54 seconds. Please go here: https://aka.ms/oai/quotaincrease`,
			provider: ProviderAzure, kind: KindAzureCallRate, retryAfter: 54 * time.Second, tier: "OpenAI S0",
		},
		{
			name:     "azure apim style",
			text:     `Error code: 429 - {'statusCode': 429, 'message': 'Rate limit is exceeded. Try again in 3 seconds.'}`,
			provider: ProviderAzure, kind: KindUnknown, retryAfter: 3 * time.Second,
		},
		{
			name:     "anthropic tpm",
			text:     `{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (0dccdde6-1234-5678-9abc-def012345678) of 20,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later."}}`,
			provider: ProviderAnthropic, kind: KindTPM, limit: 20000,
		},
		{
			name:     "anthropic 2026 wording",
			text:     `anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: 0dccdde6-1234-5678-9abc-def012345678, model: claude-sonnet-4-6). For details, refer to: https://docs.claude.com/en/api/rate-limits."}}`,
			provider: ProviderAnthropic, kind: KindTPM, limit: 30000, model: "claude-sonnet-4-6",
		},
		{
			name:     "anthropic overloaded",
			text:     `anthropic.InternalServerError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}`,
			provider: ProviderAnthropic, kind: KindOverloaded,
		},
		{
			name:     "gemini rpd free tier",
			text:     `Error code: 429 - [{'error': {'code': 429, 'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', 'status': 'RESOURCE_EXHAUSTED', 'details': [{'@type': 'type.googleapis.com/google.rpc.QuotaFailure', 'violations': [{'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', 'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-pro-exp'}, 'quotaValue': '25'}]}, {'@type': 'type.googleapis.com/google.rpc.RetryInfo', 'retryDelay': '28s'}]}}]`,
			provider: ProviderGemini, kind: KindRPD, limit: 25, retryAfter: 28 * time.Second, model: "gemini-2.5-pro-exp", tier: "free tier",
		},
		{
			name:     "gemini tpm free tier",
			text:     `'quotaId': 'GenerateContentInputTokensPerModelPerMinute-FreeTier', 'quotaValue': '250000'} RESOURCE_EXHAUSTED`,
			provider: ProviderGemini, kind: KindTPM, limit: 250000, tier: "free tier",
		},
		{
			name:     "google api core",
			text:     `google.api_core.exceptions.ResourceExhausted: 429 Resource has been exhausted (e.g. check quota).`,
			provider: ProviderGemini, kind: KindUnknown,
		},
		{
			name:     "groq tpm",
			text:     "Error code: 429 - {'error': {'message': 'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abcdefgh` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Used 2542, Requested 9855. Please try again in 1.984999999s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing', 'type': 'tokens', 'code': 'rate_limit_exceeded'}}",
			provider: ProviderGroq, kind: KindTPM, limit: 12000, used: 2542, requested: 9855, retryAfter: 1984999999 * time.Nanosecond, model: "llama-3.3-70b-versatile", tier: "on_demand",
		},
		{
			name:     "groq tpd",
			text:     "Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abcdefgh` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s. https://console.groq.com/settings/billing",
			provider: ProviderGroq, kind: KindTPD, limit: 100000, used: 97050, requested: 3619, retryAfter: 9*time.Minute + 38016*time.Millisecond, model: "llama-3.3-70b-versatile", tier: "on_demand",
		},
		{
			name:     "moonshot",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Your account org-abcdefgh request reached max request: 3, please try again after 1 seconds', 'type': 'rate_limit_reached_error'}}`,
			provider: ProviderMoonshot, kind: KindRPM, limit: 3, retryAfter: time.Second,
		},
		{
			name:     "anthropic through an openai-compatible proxy, no organization id",
			text:     `OpenAI API error: Error code: 429 - {'error': {'code': 'rate_limit_error', 'message': 'This request would exceed the rate limit for your organization of 20,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage.', 'type': 'invalid_request_error', 'param': None}}`,
			provider: ProviderAnthropic, kind: KindTPM, limit: 20000,
		},
		{
			name:     "anthropic older wording, no size",
			text:     `anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.'}}`,
			provider: ProviderAnthropic, kind: KindTPM,
		},
		{
			name:     "anthropic older wording, requests",
			text:     `{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your per-minute rate limit"}}`,
			provider: ProviderAnthropic, kind: KindRPM,
		},
		{
			name:     "azure peak load",
			text:     `{"error":{"message":"azure-openai error: The system is currently experiencing high demand and cannot process your request. Your request exceeds the maximum usage size allowed during peak load. Please retry after 20 seconds. For improved latency reliability, consider switching to Provisioned Throughput.","code":"RATE_LIMITED"},"status":429}`,
			provider: ProviderAzure, kind: KindOverloaded, retryAfter: 20 * time.Second,
		},
		{
			name:     "openai legacy openai.error (openai<1.0)",
			text:     `openai.error.RateLimitError: Rate limit reached for gpt-4 in organization org-abcdefghijkl on tokens per min (TPM): Limit 10000, Used 8554, Requested 3082. Please try again in 9.816s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
			provider: ProviderOpenAI, kind: KindTPM, limit: 10000, used: 8554, requested: 3082, retryAfter: 9816 * time.Millisecond, model: "gpt-4",
		},
		{
			name:     "openai tokens_usage_based per day (2023 form)",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4-1106-preview in organization org-abcdefghijkl on tokens_usage_based per day: Limit 1500000, Used 1497556, Requested 20136. Please try again in 16m59.059s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens_usage_based', 'param': None, 'code': 'rate_limit_exceeded'}}`,
			provider: ProviderOpenAI, kind: KindTPD, limit: 1500000, used: 1497556, requested: 20136, retryAfter: 16*time.Minute + 59059*time.Millisecond, model: "gpt-4-1106-preview",
		},
		{
			name:     "openai requests per day",
			text:     `Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-3.5-turbo in organization org-abcdefghijkl on requests per day (RPD): Limit 200, Used 200, Requested 1. Please try again in 7m12s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}`,
			provider: ProviderOpenAI, kind: KindRPD, limit: 200, used: 200, requested: 1, retryAfter: 7*time.Minute + 12*time.Second, model: "gpt-3.5-turbo",
		},
		{
			name:     "gemini sdk bare resource exhausted",
			text:     `google.api_core.exceptions.ResourceExhausted: 429 Resource has been exhausted (e.g. check quota).`,
			provider: ProviderGemini, kind: KindUnknown,
		},
		{
			name:     "openrouter free models per day",
			text:     `{"error":{"message":"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day","code":429,"metadata":{"headers":{"X-RateLimit-Limit":"50","X-RateLimit-Remaining":"0","X-RateLimit-Reset":"1788825600000"}}}}`,
			provider: ProviderOther, kind: KindRPD, limit: 50, tier: "OpenRouter free models",
		},
		{
			name:     "litellm parallel limit",
			text:     `Error code: 429 - {"error": {"message": "Max parallel request limit reached. Hit limit for api_key: 7f3c. active requests: 8.", "type": "rate_limit_error", "code": "429"}}`,
			provider: ProviderLiteLLM, kind: KindGateway,
		},
		{
			name:     "litellm rate limit handler",
			text:     `litellm.RateLimitError: LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM, RPM Limit. current rpm: 10, rpm limit: 10, current tpm: 250, tpm limit: 9000`,
			provider: ProviderLiteLLM, kind: KindGateway, limit: 10,
		},
		{
			name:     "litellm router cooldown",
			text:     `litellm.exceptions.RateLimitError: No deployments available for selected model, Try again in 60 seconds. Passed model=gpt-4. pre-call-checks=False, allowed_model_region=n/a`,
			provider: ProviderLiteLLM, kind: KindGateway, retryAfter: 60 * time.Second,
		},
		{
			name:     "helicone own",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit exceeded (Helicone)'}} url=https://oai.helicone.ai/v1/chat/completions`,
			provider: ProviderHelicone, kind: KindGateway,
		},
		{
			name:     "provider 429 through helicone",
			text:     `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-abcdefgh on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.', 'type': 'requests', 'code': 'rate_limit_exceeded'}} base_url=https://oai.helicone.ai/v1`,
			provider: ProviderOpenAI, via: "helicone", kind: KindRPM, limit: 500, used: 500, requested: 1, retryAfter: 120 * time.Millisecond, model: "gpt-4o",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rl, ok := ParseRateLimit(tt.text)
			if !ok {
				t.Fatalf("not recognised")
			}
			if rl.Provider != tt.provider || rl.Via != tt.via || rl.Kind != tt.kind {
				t.Errorf("provider/via/kind = %s/%s/%s, want %s/%s/%s", rl.Provider, rl.Via, rl.Kind, tt.provider, tt.via, tt.kind)
			}
			if rl.Limit != tt.limit || rl.Used != tt.used || rl.Requested != tt.requested {
				t.Errorf("limit/used/requested = %d/%d/%d, want %d/%d/%d", rl.Limit, rl.Used, rl.Requested, tt.limit, tt.used, tt.requested)
			}
			if rl.RetryAfter != tt.retryAfter {
				t.Errorf("retry after = %v, want %v", rl.RetryAfter, tt.retryAfter)
			}
			if rl.Model != tt.model {
				t.Errorf("model = %q, want %q", rl.Model, tt.model)
			}
			if rl.Tier != tt.tier {
				t.Errorf("tier = %q, want %q", rl.Tier, tt.tier)
			}
			if rl.TooLarge != tt.tooLarge {
				t.Errorf("too large = %v", rl.TooLarge)
			}
			for _, secret := range []string{"erQx1ZrQBcN6XYo3YE", "0dccdde6-1234"} {
				if strings.Contains(rl.Message, secret) || strings.Contains(rl.Org, secret) {
					t.Errorf("organisation id not masked: %q", rl.Message)
				}
			}
		})
	}
}

func TestParseRateLimitRejects(t *testing.T) {
	for _, text := range []string{
		"except openai.RateLimitError as e:",
		"config_list = [{'model': 'gpt-4', 'api_rate_limit': 0.05}]",
		"HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 200 OK\"",
		"The rate of change is limited by the quota of the day",
	} {
		if rl, ok := ParseRateLimit(text); ok {
			t.Errorf("%q recognised as %+v", text, rl)
		}
	}
}

func TestParseWait(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"20s": 20 * time.Second, "1.984s": 1984 * time.Millisecond, "9m38.016s": 9*time.Minute + 38016*time.Millisecond,
		"6ms": 6 * time.Millisecond, "3 seconds": 3 * time.Second, "1 second": time.Second, "junk": 0,
	} {
		if got := parseWait(in); got != want {
			t.Errorf("parseWait(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		"[2023-11-20 21:34:00.847] _client.py (1013) - [INFO] : HTTP Request":     "2023-11-20T21:34:00Z",
		"2026-01-17 15:55:03,200  INFO  Backing off":                              "2026-01-17T15:55:03Z",
		"[2024-03-01T10:00:59Z] something":                                        "2024-03-01T10:00:59Z",
		"[2024-12-21 08:00:01 - openai._base_client:919 - INFO] Retrying":         "2024-12-21T08:00:01Z",
		"[autogen.oai.client: 11-20 21:34:00] {351} WARNING - Model gpt-4 is not": "0001-11-20T21:34:00Z",
	} {
		ts, ok := parseTimestamp([]byte(in))
		if !ok || ts.Format(time.RFC3339) != want {
			t.Errorf("parseTimestamp(%q) = %v %v, want %s", in, ts, ok, want)
		}
	}
	for _, in := range []string{"INFO:httpx:HTTP Request: POST", "line 1013, in _request", "99-99 99:99:99"} {
		if _, ok := parseTimestamp([]byte(in)); ok {
			t.Errorf("parseTimestamp(%q) found a time", in)
		}
	}
}
