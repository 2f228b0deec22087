package expression

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ src, want string }{
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`, `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
		{`Switch([IsSoftDeleted],,"False","True","True","False")`, `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
		{`Replace([preferredLanguage], "-", , ,  "_", ,  )`, `Replace([preferredLanguage], "-", , , "_", , )`},
		{`IIF([country]="FR","a","b")`, `IIF([country] = "FR", "a", "b")`},
		{`IIF( [n]>=-1 , 1 , 0 )`, `IIF([n] >= -1, 1, 0)`},
		{`Join( " " , [givenName] , [surname] )`, `Join(" ", [givenName], [surname])`},
		{`"a\"b\\c"`, `"a\"b\\c"`},
		{`"\d"`, `"\\d"`}, // a lone backslash is written escaped
		{`Now( )`, `Now()`},
		{`F( , )`, `F(, )`},
		{`BitAnd(&HF,&hf)`, `BitAnd(&HF, &hf)`},
		{"Append(\n  [mailNickname],\n  \"@contoso.com\"\n)", `Append([mailNickname], "@contoso.com")`},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.src)
		if err != nil {
			t.Errorf("Normalize(%q): %v", tt.src, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.src, got, tt.want)
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Errorf("Normalize is not idempotent on %q: %q, %v", got, again, err)
		}
	}
}

func TestFormatQuotesBareConstantsThatWouldNotReparse(t *testing.T) {
	for _, name := range []string{"", "two words", "1.", "-", "&H", "a-b", "12ab"} {
		got := Format(&Node{Kind: Constant, Name: name, Bare: true})
		if got != Quote(name) {
			t.Errorf("Format(bare %q) = %s, want it quoted", name, got)
		}
	}
	for _, name := range []string{"vbTextCompare", "1000", "-14", "0.5", "&HF", "_x1"} {
		if got := Format(&Node{Kind: Constant, Name: name, Bare: true}); got != name {
			t.Errorf("Format(bare %q) = %s, want it unquoted", name, got)
		}
	}
}

func TestNormalizeReportsSyntaxErrors(t *testing.T) {
	if _, err := Normalize(`Join(" "`); err == nil {
		t.Fatal("want an error for an unterminated call")
	}
}
