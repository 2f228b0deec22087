package expression

import (
	"reflect"
	"testing"
)

// docExamples are the expressions of the Entra function reference
// (entra-docs functions-for-customizing-application-data.md) verbatim —
// spacing, line breaks and all — plus the scim template's defaults and a few
// edge cases in the same style. All are free of errors against
// DefaultCatalog; docWarnings lists the ones Validate warns about.
var docExamples = []string{
	`Switch([IsSoftDeleted], , "False", "True", "True", "False")`,
	`Join(" ", [givenName], [surname])`,
	`Append([userPrincipalName], ".test")`,
	`AppRoleAssignmentsComplex([appRoleAssignments])`,
	`BitAnd(&HF, &HF7)`,
	`CBool([attribute1] = [attribute2])`,
	`CDate([StatusHireDate])`,
	`CDate("2021-06-30+08:00")`,
	`Coalesce([mail],[userPrincipalName])`,
	`ConvertToBase64("Hello world!")`,
	`ConvertToUTF8Hex("Hello world!")`,
	`CStr([dn])`,
	`DateAdd("d", 7, CDate([StatusHireDate]))`,
	`DateDiff("d", Now(), CDate([StatusHireDate]))`,
	"Switch([Active], , \n  \"1\", IIF(DateDiff(\"d\", Now(), CDate([StatusHireDate])) > 5, \"False\", \"True\"), \n  \"0\", \"False\")",
	`DateFromNum([lastLogonTimestamp])`,
	`DateFromNum(129699324000000000)`,
	`FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`Guid()`,
	`IgnoreFlowIfNullOrEmpty([department])`,
	`IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`,
	`IIF([country]="USA",[country],[department])`,
	`IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
	`IIF([country]="USA","True",IIF([state]="CA","True","False"))`,
	`IIF([country]="","Other",[country])`,
	`IIF(IsNullOrEmpty([country]),"Other",[country])`,
	`IIF(IsPresent([country]),[country],"Other")`,
	`Switch([country],[country],"","Other")`,
	`InStr("The quick brown fox","quick")`,
	`InStr("repEated","e",3,vbBinaryCompare)`,
	`IsNull([displayName])`,
	`IsNullOrEmpty([displayName])`,
	`Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`,
	`Item([proxyAddresses], 1)`,
	`Left("John Doe", 3)`,
	`NormalizeDiacritics([givenName])`,
	`Now()`,
	`NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))`,
	`NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))`,
	`PCase([firstName])`,
	`PCase([lastName]," '-")`,
	`PCase(Join(" ",[firstName],[lastName]))`,
	`RandomString(6,3,0,0,3)`,
	`RandomString(10,2,2,2,1,"?,")`,
	`Redact([userPrincipalName])`,
	`Redact("StringToBeRedacted")`,
	`Redact(RandomString(6,3,0,0,3))`,
	`RemoveDuplicates([proxyAddresses])`,
	`Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`,
	`Replace([UserID],"<username>", , , , , "<username>@contoso.com")`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`,
	`Replace([mobile], , "[()\\s-]+", , "", , )`,
	`Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
	`Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
	`Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`,
	`Replace([preferredLanguage], "-", , , "_", , )`,
	"SelectUniqueValue( \n        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  [PreferredFirstName], [PreferredLastName]))), \"contoso.com\"), \n        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), \"contoso.com\"),\n        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), \"contoso.com\")\n    )",
	`SingleAppRoleAssignment([appRoleAssignments])`,
	`Split([extensionAttribute5], ",")`,
	`StripSpaces([surname])`,
	`Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")`,
	`Switch([statusFlag], "Default Value", "true", "1", "", "0")`,
	`IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
	`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
	`ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`,
	`ToUpper([userPrincipalName], "en-US")`,
	`Word("The quick brown fox",3," ")`,
	`Word("This,string!has&many separators",3,",!&#")`,
	`Replace([mail], "@contoso.com", , ,"", ,)`,
	`Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`,
	`Join(", ", "", [surname], [givenName])`,
	`Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))`,
	// Same style, not verbatim: 3-argument FormatDateTime (older API form),
	// bare constants in IIF, escapes and unusual attribute names.
	`FormatDateTime([extensionAttribute1], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`IIF([employeeCount] >= -1, IgnoreAttributeFlow, "small")`,
	`Append([extension_abc_costCenter], " \"cc\" \\ end")`,
	`Append([name with spaces], ":")`,
}

// docWarnings are the documented expressions Validate warns about, with
// the reason; every other docExample must validate cleanly.
var docWarnings = map[string]string{
	`IIF([country]="","Other",[country])`:             "condition check fails",
	`IIF(IsNullOrEmpty([country]),"Other",[country])`: "condition check fails",
	`IIF(IsPresent([country]),[country],"Other")`:     "condition check fails",
	`Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`: "advises against `IsPresent`",
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
