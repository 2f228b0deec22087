package graphsim_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestConcurrentClientsKeepStateConsistent runs several clients creating,
// assigning, patching and deleting at once (run with -race): every object a
// client keeps must be intact and the counts must add up.
func TestConcurrentClientsKeepStateConsistent(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 8})
	_, body := env.Graph(t, "GET", "/users?$top=8", nil)
	users := values(t, body)
	const workers, perWorker = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				status, body := env.Graph(t, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": fmt.Sprintf("w%d-%d", w, i)})
				if status != 201 {
					errs <- fmt.Errorf("instantiate: %d %s", status, body)
					return
				}
				sp := obj(t, body)["servicePrincipal"].(map[string]any)
				spID := sp["id"].(string)
				user := users[(w+i)%len(users)]["id"].(string)
				if status, body := env.Graph(t, "POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo", map[string]string{"principalId": user, "resourceId": spID, "appRoleId": graphsim.UserRoleID}); status != 201 {
					errs <- fmt.Errorf("assign: %d %s", status, body)
				}
				env.Graph(t, "PATCH", "/servicePrincipals/"+spID, map[string]any{"displayName": "bad", "appId": "x"}) // rejected
				if i%2 == 1 {
					if status, _ := env.Graph(t, "DELETE", "/applications/"+obj(t, body)["application"].(map[string]any)["id"].(string), nil); status != 204 {
						errs <- fmt.Errorf("delete: %d", status)
					}
				}
				env.Graph(t, "GET", "/servicePrincipals?$top=3", nil)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := env.Admin.State()
	if err != nil {
		t.Fatal(err)
	}
	c := st["counts"].(map[string]any)
	half := float64(workers * perWorker / 2)
	if c["applications"] != half || c["servicePrincipals"] != half+graphsim.SeededServicePrincipals || c["appRoleAssignments"] != half || c["deletedItems"] != 2*half {
		t.Fatalf("counts after concurrent work: %v", c)
	}
	for _, sp := range st["servicePrincipals"].([]any) {
		if sp.(map[string]any)["displayName"] == "bad" {
			t.Fatal("a rejected PATCH changed a service principal")
		}
	}
}
