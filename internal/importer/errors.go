package importer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
)

// valueInMessage matches the value an API server repeats in a field error, for example
// `Invalid value: "2015-02-30": ` or `Unsupported value: "Foo": `.
var valueInMessage = regexp.MustCompile(`(Invalid|Unsupported|Duplicate) value: (?:"(?:\\.|[^"\\])*"(?:: )?|[^\s:"]+: )?`)

// ServerReason turns an error from the API server into a line a clerk can act on, without the
// personal data the server may repeat: field errors keep the field and the message but lose the
// value, and any of the given personal values left in the text is masked.
func ServerReason(err error, personal []string) string {
	var msg string
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		st := status.Status()
		var parts []string
		if st.Details != nil {
			for _, c := range st.Details.Causes {
				m := valueInMessage.ReplaceAllString(c.Message, "")
				if c.Field != "" && !strings.Contains(m, c.Field) {
					m = c.Field + ": " + m
				}
				parts = append(parts, m)
			}
		}
		switch {
		case len(parts) > 0:
			msg = strings.Join(parts, "; ")
		case st.Message != "":
			msg = st.Message
		default:
			msg = err.Error()
		}
		msg = fmt.Sprintf("rejected by the API server (%s): %s", reasonWord(st.Reason, st.Code), msg)
	} else {
		msg = "not written: " + err.Error()
	}
	msg = valueInMessage.ReplaceAllString(msg, "")
	for _, v := range personal {
		if v != "" {
			msg = strings.ReplaceAll(msg, v, "***")
		}
	}
	return msg
}

func reasonWord(reason metav1.StatusReason, code int32) string {
	if reason != "" {
		return string(reason)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// retryable reports whether an error is worth another attempt: the server was busy, timed out
// or could not be reached.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if apierrors.IsTooManyRequests(err) || apierrors.IsServerTimeout(err) || apierrors.IsTimeout(err) ||
		apierrors.IsServiceUnavailable(err) || apierrors.IsInternalError(err) || apierrors.IsConflict(err) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// retryBackoff spaces the attempts of one write: five, from 200 ms doubling, with jitter so
// the workers of an import do not retry in step.
var retryBackoff = wait.Backoff{Steps: 5, Duration: 200 * time.Millisecond, Factor: 2, Jitter: 0.2}

// withRetry calls fn until it succeeds, fails for good, or five attempts were made
// (client-go's retry.OnError). The API server's own rate limiting (429 with Retry-After) is
// retried by client-go's REST client before an error reaches us.
func withRetry(ctx context.Context, fn func() error) error {
	return retry.OnError(retryBackoff, func(err error) bool { return ctx.Err() == nil && retryable(err) }, fn)
}
