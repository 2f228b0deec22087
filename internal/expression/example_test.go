package expression_test

import (
	"encoding/json"
	"fmt"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

func ExampleNormalize() {
	canonical, _ := expression.Normalize(`Switch([IsSoftDeleted],,"False","True","True","False")`)
	fmt.Println(canonical)
	// Output: Switch([IsSoftDeleted], , "False", "True", "True", "False")
}

func ExampleValidate() {
	src := `Join(" ", Swich([country], , "FR", "France"), [givenName])`
	n, _ := expression.Parse(src)
	for _, d := range expression.Validate(n) {
		fmt.Println(d)
		fmt.Println(expression.Excerpt(src, d.Pos))
	}
	// Output:
	// error at offset 10: `Swich` is not a function; did you mean `Switch`?
	// Join(" ", Swich([country], , "FR", "France"), [givenName])
	//           ^
}

func ExampleParse_syntaxError() {
	_, err := expression.Parse(`Join(" " [givenName])`)
	fmt.Println(err)
	// Output: expected ',' or ')' in call to Join but found '[' at offset 9
}

func ExampleToSource() {
	n, _ := expression.Parse(`Join(" ", [givenName], [surname])`)
	tree, _ := expression.ToSource(n, nil)
	out, _ := json.Marshal(tree["parameters"])
	fmt.Println(tree["expression"])
	fmt.Println(string(out))
	// Output:
	// Join(" ", [givenName], [surname])
	// [{"key":"separator","value":{"expression":"\" \"","name":" ","parameters":[],"type":"Constant"}},{"key":"source","value":{"expression":"[givenName]","name":"givenName","parameters":[],"type":"Attribute"}},{"key":"source","value":{"expression":"[surname]","name":"surname","parameters":[],"type":"Attribute"}}]
}
