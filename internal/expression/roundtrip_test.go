package expression

import (
	"reflect"
	"testing"
)

// docExamples are expressions in the style of the Entra function reference
// (functions-for-customizing-application-data.md), the Workday guide and
// the seed guides: every function family, empty arguments, nesting, bare
// constants and IIF comparisons. All are valid against DefaultCatalog.
var docExamples = []string{
	`Switch([IsSoftDeleted], , "False", "True", "True", "False")`,
	`Join(" ", [givenName], [surname])`,
	`Replace([preferredLanguage], "-", , , "_", , )`,
	`Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "@contoso.com", , )`,
	`Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>.*)", , "${isdCode}-${phoneNumber}", , )`,
	`IIF([country]="USA",[country],[department])`,
	`IIF([employeeCount] >= 1000, "large", "small")`,
	`IIF(IsPresent([extensionAttribute1]), [extensionAttribute1], IgnoreAttributeFlow)`,
	`CBool([attribute1] = [attribute2])`,
	`FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`FormatDateTime([extensionAttribute1], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`FormatDateTime(DateAdd("d", -14, CDate([StatusHireDate])), , "M/d/yyyy hh:mm:ss tt", "yyyyMMddHHmmss.fZ")`,
	`DateDiff("d", Now(), CDate([StatusHireDate]))`,
	`DateFromNum(129699324000000000)`,
	`NumFromDate(Join("", FormatDateTime([StatusHireDate], , "yyyy-MM-ddzzz", "yyyy-MM-dd"), "T23:59:59-08:00"))`,
	`Coalesce([businessEmail], [personalEmail], "no-email@contoso.com")`,
	`Coalesce(Append([mailNickname], "@contoso.com"), Join(".", [givenName], [surname]))`,
	`Append(Left([givenName], 1), ToLower([surname]))`,
	`BitAnd(&HF, &HF7)`,
	`InStr("The quick brown fox", "quick")`,
	`InStr("repEated", "e", 3, vbBinaryCompare)`,
	`Item([proxyAddresses], 1)`,
	`Mid([userPrincipalName], 1, 8)`,
	`Word("The quick brown fox", 3, " ")`,
	`PCase("NORMAN BATES")`,
	`RandomString(6, 3, 0, 0, 3)`,
	`RandomString(10, 2, 2, 2, 1, "?,")`,
	`Split([extensionAttribute5], ",")`,
	`StripSpaces([surname])`,
	`NormalizeDiacritics([givenName])`,
	`ToUpper([userPrincipalName], "en-US")`,
	`ConvertToBase64("Hello world!")`,
	`ConvertToUTF8Hex("Hello world!")`,
	`Count([directReports])`,
	`CStr([dn])`,
	`Guid()`,
	`IgnoreFlowIfNullOrEmpty([department])`,
	`IsNullOrEmpty([displayName])`,
	`Not([IsSoftDeleted])`,
	`RemoveDuplicates([otherMails])`,
	`SingleAppRoleAssignment([appRoleAssignments])`,
	`AppRoleAssignmentsComplex([appRoleAssignments])`,
	`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
	`SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces([FirstName])), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Mid([FirstName], 1, 1))), "contoso.com"))`,
	`Append([extension_abc_costCenter], " \"cc\" \\ end")`,
	`Append([name with spaces], ":")`,
}

// TestRoundTripDocExamples checks the formatter's contract on every example:
// Parse(Format(n)) equals n, Format is a fixed point, and the Graph tree
// converts back to the same expression both from its text and from its
// parameters alone.
func TestRoundTripDocExamples(t *testing.T) {
	for _, src := range docExamples {
		n, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		checkRoundTrip(t, n)
		tree, err := ToSource(n, nil)
		if err != nil {
			t.Errorf("ToSource(%s): %v", src, err)
			continue
		}
		fromText, err := FromSource(roundTripJSON(t, tree))
		if err != nil || !Equal(fromText, n) {
			t.Errorf("FromSource(ToSource(%s)) = %s, %v", src, Format(fromText), err)
		}
		treeOnly := roundTripJSON(t, tree)
		stripExpressions(treeOnly)
		fromParams, err := FromSource(treeOnly)
		if err != nil {
			t.Errorf("tree-only FromSource(%s): %v", src, err)
			continue
		}
		// Bareness, trailing empties and an empty FormatDateTime slot are not
		// in the tree; the rebuilt expression must still encode to the same tree.
		again, err := ToSource(fromParams, nil)
		if err != nil {
			t.Errorf("ToSource(rebuilt %s): %v", Format(fromParams), err)
			continue
		}
		want := roundTripJSON(t, tree)
		stripExpressions(want)
		got := roundTripJSON(t, again)
		stripExpressions(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: tree-only round trip changed the tree\n got %v\nwant %v", src, got, want)
		}
	}
}

func checkRoundTrip(t *testing.T, n *Node) {
	t.Helper()
	text := Format(n)
	back, err := Parse(text)
	if err != nil {
		t.Errorf("Parse(Format(n)) failed on %q: %v", text, err)
		return
	}
	if !Equal(back, n) {
		t.Errorf("Parse(Format(n)) != n for %q: got %q", text, Format(back))
	}
	if again := Format(back); again != text {
		t.Errorf("Format is not a fixed point: %q then %q", text, again)
	}
}
