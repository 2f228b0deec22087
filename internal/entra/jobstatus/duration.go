package jobstatus

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxTimeSpan is .NET TimeSpan.MaxValue as Graph serialises it. Graph uses it
// for "no schedule" (for example the interval of a job that was never
// started); it must never be exported as a real interval.
const MaxTimeSpan = "P10675199DT2H48M5.4775807S"

// maxTimeSpanSeconds is TimeSpan.MaxValue in seconds; anything this long is
// treated as the sentinel even if Graph formats it differently.
const maxTimeSpanSeconds = 922337203685.4775807

// ParseDuration parses an ISO 8601 duration such as "PT40M" or "P1DT2H" into
// seconds. ok is false for the TimeSpan.MaxValue sentinel. Years and months
// have no fixed length; they are approximated as 365 and 30 days because
// Graph only uses days and smaller units for schedules.
func ParseDuration(s string) (seconds float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	if s == MaxTimeSpan {
		return 0, false, nil
	}
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 2 {
		return 0, false, fmt.Errorf("duration %q: want ISO 8601 like PT40M", s)
	}
	units := map[byte]float64{'Y': 365 * 86400, 'M': 30 * 86400, 'W': 7 * 86400, 'D': 86400}
	timeUnits := map[byte]float64{'H': 3600, 'M': 60, 'S': 1}
	inTime := false
	num := ""
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'T':
			if inTime || num != "" {
				return 0, false, fmt.Errorf("duration %q: misplaced T", s)
			}
			inTime = true
		case (c >= '0' && c <= '9') || c == '.' || c == ',':
			if c == ',' {
				c = '.'
			}
			num += string(c)
		default:
			table := units
			if inTime {
				table = timeUnits
			}
			mult, known := table[c]
			if !known || num == "" {
				return 0, false, fmt.Errorf("duration %q: unexpected %q", s, c)
			}
			v, perr := strconv.ParseFloat(num, 64)
			if perr != nil {
				return 0, false, fmt.Errorf("duration %q: %v", s, perr)
			}
			seconds += v * mult
			num = ""
		}
	}
	if num != "" {
		return 0, false, fmt.Errorf("duration %q: number without unit", s)
	}
	if seconds >= maxTimeSpanSeconds-1 || math.IsInf(seconds, 0) {
		return 0, false, nil
	}
	if neg {
		seconds = -seconds
	}
	return seconds, true, nil
}
