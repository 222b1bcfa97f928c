package logscan

import (
	"strings"
	"testing"
)

var proseLine = []byte(strings.Repeat("the agent reads the quarterly report and writes a summary for my family ", 2))

func BenchmarkKeywordFlagsProse(b *testing.B) {
	b.SetBytes(int64(len(proseLine)))
	for i := 0; i < b.N; i++ {
		keywordFlags(proseLine)
	}
}

func BenchmarkNormHashProse(b *testing.B) {
	b.SetBytes(int64(len(proseLine)))
	for i := 0; i < b.N; i++ {
		normHash(1, proseLine)
	}
}
