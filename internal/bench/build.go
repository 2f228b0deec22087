package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// BuildBinaries builds the provider, the simulator and the exporter from the
// repository at root into dir, so every measurement runs the current code.
func BuildBinaries(ctx context.Context, root, dir string) (Bins, error) {
	bins := Bins{
		ProviderDir: dir,
		Graphsim:    filepath.Join(dir, "graphsim"),
		Exporter:    filepath.Join(dir, "entra-provisioning-exporter"),
	}
	for _, b := range []struct{ out, pkg string }{
		{filepath.Join(dir, "terraform-provider-entra"), "."},
		{bins.Graphsim, "./internal/graphsim/cmd/graphsim"},
		{bins.Exporter, "./exporter"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.out, b.pkg)
		cmd.Dir = root
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return bins, fmt.Errorf("go build %s: %w", b.pkg, err)
		}
	}
	return bins, nil
}
