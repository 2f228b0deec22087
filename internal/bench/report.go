package bench

import (
	"fmt"
	"strings"
	"time"
)

// doc accumulates a Markdown document.
type doc struct{ strings.Builder }

func (d *doc) p(format string, args ...any) { fmt.Fprintf(&d.Builder, format+"\n", args...) }

// table writes a Markdown table.
func (d *doc) table(header []string, rows [][]string) {
	d.p("| %s |", strings.Join(header, " | "))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
	}
	d.p("|%s|", strings.Join(seps, "|"))
	for _, r := range rows {
		d.p("| %s |", strings.Join(r, " | "))
	}
	d.p("")
}

// machineSection describes where and how the numbers were produced.
func (d *doc) machineSection(m Machine) {
	d.p("## Machine and command")
	d.p("")
	d.table([]string{"", ""}, [][]string{
		{"Date (UTC)", m.Date.Format("2006-01-02 15:04")},
		{"CPU", fmt.Sprintf("%s, %d logical cores", m.CPU, m.Cores)},
		{"Memory", fmt.Sprintf("%.1f GiB", m.MemoryGiB)},
		{"OS", m.OS},
		{"Go", m.Go},
		{"Terraform", m.Terraform},
		{"Load average at start", m.LoadAvg + " (the machine may be shared: wall times are medians, ratios come from the same run)"},
		{"Command", "`" + m.Command + "`"},
	})
}

// ms formats a duration in milliseconds or seconds.
func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}

// notMeasured is the cell for a figure that could not be measured.
func notMeasured(reason string) string {
	reason = strings.ReplaceAll(strings.SplitN(reason, "\n", 2)[0], "|", "/")
	if len(reason) > 160 {
		reason = reason[:160] + "…"
	}
	return "not measured: " + reason
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}
