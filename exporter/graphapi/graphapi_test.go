package graphapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestReasonClassifiesFailures(t *testing.T) {
	var syntax json.SyntaxError
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&Error{StatusCode: 403, Code: "Authorization_RequestDenied"}, "forbidden"},
		{fmt.Errorf("wrapped: %w", &Error{StatusCode: 401}), "unauthorized"},
		{&Error{StatusCode: 429}, "throttled"},
		{&Error{StatusCode: 404}, "not_found"},
		{&Error{StatusCode: 503}, "server_error"},
		{&Error{StatusCode: 400}, "client_error"},
		{&TokenError{Err: errors.New("authority unreachable")}, "token"},
		{&MalformedError{What: "job list", Err: &syntax}, "malformed"},
		{fmt.Errorf("poll: %w", context.DeadlineExceeded), "timeout"},
		{errors.New("connection refused"), "transport"},
	}
	for _, c := range cases {
		if got := Reason(c.err); got != c.want {
			t.Errorf("Reason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestErrorMessageNamesPathStatusAndCode(t *testing.T) {
	err := &Error{StatusCode: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges", Path: "/auditLogs/provisioning"}
	want := "/auditLogs/provisioning: HTTP 403 Authorization_RequestDenied: Insufficient privileges"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err.Error(), want)
	}
}
