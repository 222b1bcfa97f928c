package redact

import (
	"bytes"
	"strings"
	"testing"
)

func TestMasksKnownShapes(t *testing.T) {
	keys := []string{
		"sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL",
		"sk-proj-Ab3dEf9hIjKlMn0pQrStUvWx1234567890abcd",
		"sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
		"AIzaSyA1234567890abcdefghijklmnopqrstuv",
		"gsk_abcdefghijklmnopqrstuvwxyz0123456789",
		"hf_abcdefghijklmnopqrstuvwxyz012345",
	}
	for _, k := range keys {
		for _, ctx := range []string{"%s", "key=%s", "api_key: \"%s\"", "x %s y"} {
			in := strings.Replace(ctx, "%s", k, 1)
			out := String(in)
			if strings.Contains(out, k) || !strings.Contains(out, "…"+k[len(k)-4:]) {
				t.Errorf("String(%q) = %q", in, out)
			}
		}
	}
}

func TestMasksContextValues(t *testing.T) {
	cases := map[string]string{
		`"api_key": "0123456789abcdef0123456789abcdef"`:              "0123456789abcdef0123456789abcdef",
		"api-key: 0123456789abcdef0123456789abcdef":                  "0123456789abcdef0123456789abcdef",
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc.def123456789": "eyJhbGciOiJIUzI1NiJ9abc.def123456789",
		"MY_SERVICE_KEY=a1b2c3d4e5f6g7h8i9j0k1l2":                    "a1b2c3d4e5f6g7h8i9j0k1l2",
		"token = 'Zq81Lm0PpR4tUvWq9sNb3cDe'":                         "Zq81Lm0PpR4tUvWq9sNb3cDe",
	}
	for in, secret := range cases {
		if out := String(in); strings.Contains(out, secret) {
			t.Errorf("String(%q) = %q", in, out)
		}
	}
}

func TestLeavesOrdinaryTextAlone(t *testing.T) {
	for _, in := range []string{
		`api_key=os.environ["OPENAI_API_KEY"]`,
		`"api_key": "sk-..."`,
		"Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000",
		"max_tokens=4000, temperature=0",
		"commit 3f2b8c1e9d4a4b7f8e6c5d4b3a2f1e0d fixed it",
		"the task-list was long",
	} {
		if out := String(in); out != in {
			t.Errorf("String(%q) = %q", in, out)
		}
	}
}

func TestWriterMasksAcrossWrites(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	key := "sk-proj-Ab3dEf9hIjKlMn0pQrStUvWx1234567890abcd"
	w.Write([]byte("first line\nkey " + key[:10]))
	w.Write([]byte(key[10:] + " end\nlast"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), key) || !strings.HasSuffix(buf.String(), "last") {
		t.Errorf("writer output %q", buf.String())
	}
}

func BenchmarkBytesNoSecrets(b *testing.B) {
	text := bytes.Repeat([]byte("HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 429 Too Many Requests\"\n"), 1000)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		Bytes(text)
	}
}
