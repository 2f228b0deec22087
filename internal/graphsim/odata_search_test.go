package graphsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestSearchItems(t *testing.T) {
	users := []map[string]any{
		{"id": "1", "displayName": "Wanda Maximoff", "mail": "wanda@contoso.com", "jobTitle": "Engineer", "otherMails": []any{"scarlet@example.com"}},
		{"id": "2", "displayName": "Contoso WaterCo", "mail": "water@contoso.com", "jobTitle": "Sales"},
		{"id": "3", "displayName": "Adele Vance", "mail": "adelev@contoso.com", "jobTitle": "Retail Manager"},
		{"id": "4", "displayName": "Alex Wilber", "mail": "alexw@contoso.com", "jobTitle": nil},
	}
	tests := []struct {
		name, search string
		noHeader     bool
		status       int
		code         string
		want         string // ids of the kept items, comma-separated
	}{
		{name: "prefix of a word", search: `"displayName:wa"`, status: 200, want: "1,2"},
		{name: "camelCase word", search: `"displayName:co"`, status: 200, want: "2"},
		{name: "case-insensitive property and value", search: `"DISPLAYNAME:VANCE"`, status: 200, want: "3"},
		{name: "no match", search: `"displayName:zz"`, status: 200, want: ""},
		{name: "not a mid-word match", search: `"displayName:anda"`, status: 200, want: ""},
		{name: "all words of a phrase", search: `"displayName:adel van"`, status: 200, want: "3"},
		{name: "multi-valued property", search: `"otherMails:scarlet"`, status: 200, want: "1"},
		{name: "null property", search: `"jobTitle:a"`, status: 200, want: ""},
		{name: "OR", search: `"displayName:adele" OR "mail:alexw"`, status: 200, want: "3,4"},
		{name: "AND", search: `"displayName:wa" AND "jobTitle:sales"`, status: 200, want: "2"},
		{name: "AND binds tighter than OR", search: `"displayName:adele" OR "displayName:wa" AND "jobTitle:eng"`, status: 200, want: "1,3"},
		{name: "missing header", search: `"displayName:wa"`, noHeader: true, status: 400, code: "Request_UnsupportedQuery"},
		{name: "unknown property", search: `"department:x"`, status: 400, code: "BadRequest"},
		{name: "unquoted", search: `displayName:wa`, status: 400, code: "BadRequest"},
		{name: "unterminated quote", search: `"displayName:wa`, status: 400, code: "BadRequest"},
		{name: "no property", search: `"wa"`, status: 400, code: "BadRequest"},
		{name: "empty value", search: `"displayName:"`, status: 400, code: "BadRequest"},
		{name: "bad operator", search: `"displayName:wa" NOT "mail:x"`, status: 400, code: "BadRequest"},
		{name: "dangling operator", search: `"displayName:wa" OR`, status: 400, code: "BadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1.0/users?$search="+url.QueryEscape(tt.search), nil)
			if !tt.noHeader {
				r.Header.Set("ConsistencyLevel", "eventual")
			}
			w := httptest.NewRecorder()
			kept, ok := searchItems(w, r, userSpec, users)
			if !ok {
				if tt.status != http.StatusBadRequest || w.Code != http.StatusBadRequest {
					t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.status)
				}
				if !strings.Contains(w.Body.String(), `"`+tt.code+`"`) {
					t.Fatalf("body %s, want code %s", w.Body, tt.code)
				}
				return
			}
			if tt.status != http.StatusOK {
				t.Fatalf("search ran, want %d", tt.status)
			}
			var ids []string
			for _, it := range kept {
				ids = append(ids, it["id"].(string))
			}
			if got := strings.Join(ids, ","); got != tt.want {
				t.Fatalf("kept %q, want %q", got, tt.want)
			}
		})
	}
}

// A collection without searchable properties keeps refusing $search.
func TestSearchItemsNotSimulated(t *testing.T) {
	r := httptest.NewRequest("GET", "/v1.0/domains?$search=%22id:x%22", nil)
	r.Header.Set("ConsistencyLevel", "eventual")
	w := httptest.NewRecorder()
	if _, ok := searchItems(w, r, domainSpec, nil); ok || w.Code != http.StatusBadRequest {
		t.Fatalf("ok=%v status %d, want 400", ok, w.Code)
	}
}

func TestSearchWords(t *testing.T) {
	got := strings.Join(searchWords("Contoso WaterCo-HR_team x1"), "|")
	if want := "contoso|water|co|hr|team|x1"; got != want {
		t.Fatalf("searchWords = %q, want %q", got, want)
	}
}

// End to end: $search through the middleware on /users, /users/$count and
// /groups, combined with $count, $top and $filter.
func TestSearchServed(t *testing.T) {
	s, c := startInternal(t, Options{Users: 5, Groups: 3})
	r := s.Ready()
	token := readOnlyToken(t, c, r)
	get := func(path string, eventual bool) (int, string) {
		t.Helper()
		req, err := http.NewRequest("GET", r.GraphEndpoint+"/v1.0"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if eventual {
			req.Header.Set("ConsistencyLevel", "eventual")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	var page struct {
		Count int              `json:"@odata.count"`
		Value []map[string]any `json:"value"`
	}
	status, body := get("/users?$top=999", false)
	if err := json.Unmarshal([]byte(body), &page); status != 200 || err != nil || len(page.Value) == 0 {
		t.Fatalf("list users: %d %s", status, body)
	}
	first := searchWords(page.Value[0]["displayName"].(string))[0]
	q := "$search=" + url.QueryEscape(`"displayName:`+first+`"`)

	status, body = get("/users?"+q+"&$count=true&$select=displayName", true)
	page.Value = nil
	if err := json.Unmarshal([]byte(body), &page); status != 200 || err != nil || len(page.Value) == 0 || page.Count != len(page.Value) {
		t.Fatalf("search users: %d %s", status, body)
	}
	for _, u := range page.Value {
		if !strings.Contains(strings.ToLower(u["displayName"].(string)), first) {
			t.Fatalf("search %q kept %v", first, u)
		}
	}
	if status, body := get("/users/$count?"+q, true); status != 200 || body != strconv.Itoa(page.Count) {
		t.Fatalf("/users/$count with $search: %d %q, want %d", status, body, page.Count)
	}
	if status, body := get("/users?"+q+"&$top=1", true); status != 200 || strings.Count(body, `"id"`) != 1 {
		t.Fatalf("search with $top=1: %d %s", status, body)
	}
	if status, body := get("/users?"+q+"&$filter="+url.QueryEscape("id eq 'none'"), true); status != 200 || strings.Contains(body, `"id"`) {
		t.Fatalf("search with a $filter matching nothing: %d %s", status, body)
	}
	if status, body := get("/users?"+q, false); status != 400 || !strings.Contains(body, "Request_UnsupportedQuery") {
		t.Fatalf("search without ConsistencyLevel: %d %s", status, body)
	}
	if status, body := get("/groups?$search="+url.QueryEscape(`"colour:x"`), true); status != 400 || !strings.Contains(body, "Invalid search property") {
		t.Fatalf("search on an unknown group property: %d %s", status, body)
	}
	if status, body := get("/applications?$search="+url.QueryEscape(`"displayName:x"`), true); status != 400 {
		t.Fatalf("search on a collection without it: %d %s", status, body)
	}
}
