package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsageErrorsBeforeAnyWork(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "usage: bench bench|soak"},
		{[]string{"measure"}, 2, "usage: bench bench|soak"},
		{[]string{"bench", "-bogus"}, 2, "flag provided but not defined"},
		{[]string{"bench", "-h"}, 0, "-sizes"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q", tc.args, code, tc.code, stderr.String())
		}
	}
}

func TestIntsAndCaseSelection(t *testing.T) {
	got, err := ints(" 1, 10,,100 ")
	if err != nil || len(got) != 3 || got[0] != 1 || got[2] != 100 {
		t.Errorf("ints = %v, %v", got, err)
	}
	for _, bad := range []string{"0", "-3", "ten"} {
		if _, err := ints(bad); err == nil {
			t.Errorf("ints(%q) accepted", bad)
		}
	}
	cs := selectCases("replication lag,5xx")
	if len(cs) != 4 || cs[0].Spec != "" {
		t.Fatalf("selectCases(replication lag,5xx) = %+v, want the baseline, lag 2 s, lag 10 s and 5xx", cs)
	}
	if len(selectCases("")) < 7 {
		t.Error("the default matrix must have every case of the reliability issue")
	}
}
