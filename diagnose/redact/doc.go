// Package redact masks API keys and other secrets in text.
package redact
