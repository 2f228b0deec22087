package graphsim

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
)

// BenchmarkProvisioningLogMemory reports the heap a full log ring holds with
// create events carrying 20 modified properties each (the worst common
// case). As in the engine, job, SP and cycle ids and attribute names are
// shared between the events of one cycle (10 here).
func BenchmarkProvisioningLogMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l := newProvisioningLog(defaultLogCapacity)
		names := make([]string, 20)
		for k := range names {
			names[k] = fmt.Sprintf("attribute%d", k)
		}
		var jobID, spID, cycleID string
		for n := 0; n < defaultLogCapacity+5000; n++ {
			if n%10 == 0 {
				jobID, spID, cycleID = "scim.x."+uuid.NewString(), uuid.NewString(), uuid.NewString()
			}
			mods := make([]modifiedProperty, len(names))
			for k, name := range names {
				mods[k] = modifiedProperty{name: name, newValue: fmt.Sprintf("value %d of user %d", k, n)}
			}
			l.add(provisioningEvent{id: uuid.NewString(), at: time.Now(), jobID: jobID, cycleID: cycleID,
				changeID: uuid.NewString(), spID: spID, spName: "app", action: "create", status: "success",
				identity: "User", sourceID: uuid.NewString(), sourceName: "User Name", targetID: uuid.NewString(),
				targetName: fmt.Sprintf("user%d@contoso.test", n), targetDir: "customappsso", modified: mods})
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "ring-MB")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(l.len()), "B/event")
		runtime.KeepAlive(l)
	}
}
