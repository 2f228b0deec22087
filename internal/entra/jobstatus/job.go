// Package jobstatus decodes the status of a Graph synchronizationJob, once,
// for both the provider's job data source and the exporter. It owns Graph's
// "never" sentinels (DateTime.MinValue timestamps, the TimeSpan.MaxValue
// interval, the "None" error code): they become "absent", never absurd
// values.
//
// Decoding is lenient by default, as the exporter needs: one malformed field
// costs that field (reported in Job.Problems), and only a payload that is
// not a JSON object is rejected. Strict turns any malformed field into an
// error, as a Terraform data source should.
package jobstatus

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Job is one synchronization job's status as the exporter sees it.
type Job struct {
	ID         string
	TemplateID string

	ScheduleState    string // Active | Disabled | Paused (as Graph sends it)
	ScheduleInterval Opt    // seconds; absent for the TimeSpan.MaxValue sentinel
	// ScheduleIntervalText is the interval as Graph wrote it (ISO 8601,
	// e.g. PT40M); "" whenever ScheduleInterval is absent.
	ScheduleIntervalText string

	Code                string // status.code: NotConfigured | NotRun | Active | Paused | Quarantine
	ConsecutiveFailures Opt    // status.countSuccessiveCompleteFailures

	LastExecution            *Execution // status.lastExecution
	LastSuccessfulExecution  *Execution // status.lastSuccessfulExecution
	Quarantine               *Quarantine
	SteadyStateLastAchieved  Opt // unix seconds; absent before the first steady state
	SteadyStateFirstAchieved Opt

	SynchronizedEntries map[string]float64 // status.synchronizedEntryCountByType

	// Problems names fields whose values were malformed and therefore dropped.
	Problems []string
}

// Execution is a synchronizationTaskExecution.
type Execution struct {
	State        string // Succeeded | Failed | EntryLevelErrors
	Began        Opt    // unix seconds
	Ended        Opt    // unix seconds
	Escrowed     Opt    // countEscrowed
	Exported     Opt    // countExported
	Imported     Opt    // countImported
	ErrorCode    string // error.code; "" or "None" when there was no error (see HasError)
	ErrorMessage string // error.message
}

// Duration is Ended-Began when both are known and ordered.
func (e *Execution) Duration() Opt {
	if e == nil || !e.Began.Valid || !e.Ended.Valid || e.Ended.Value < e.Began.Value {
		return Opt{}
	}
	return some(e.Ended.Value - e.Began.Value)
}

// Quarantine is a synchronizationQuarantine.
type Quarantine struct {
	Reason       string
	ErrorCode    string // see HasError
	ErrorMessage string
	SeriesBegan  Opt // unix seconds: start of the whole quarantine series
	CurrentBegan Opt // unix seconds: start of the current quarantine period
	NextAttempt  Opt // unix seconds
	SeriesCount  Opt
}

// Since is when the job went into quarantine: the start of the series, or of
// the current period when Graph does not report a series start.
func (q *Quarantine) Since() Opt {
	if q == nil {
		return Opt{}
	}
	if q.SeriesBegan.Valid {
		return q.SeriesBegan
	}
	return q.CurrentBegan
}

type wireError struct {
	Code    lenientString `json:"code"`
	Message lenientString `json:"message"`
}

// HasError reports whether an error code names an error: Graph writes
// {"code":"None","message":""} on runs that had none.
func HasError(code string) bool { return code != "" && !strings.EqualFold(code, "None") }

type wireExecution struct {
	State     lenientString `json:"state"`
	TimeBegan lenientTime   `json:"timeBegan"`
	TimeEnded lenientTime   `json:"timeEnded"`
	Escrowed  lenientNumber `json:"countEscrowed"`
	Exported  lenientNumber `json:"countExported"`
	Imported  lenientNumber `json:"countImported"`
	Error     *wireError    `json:"error"`
}

type wireQuarantine struct {
	Reason       lenientString `json:"reason"`
	SeriesBegan  lenientTime   `json:"seriesBegan"`
	CurrentBegan lenientTime   `json:"currentBegan"`
	NextAttempt  lenientTime   `json:"nextAttempt"`
	SeriesCount  lenientNumber `json:"seriesCount"`
	Error        *wireError    `json:"error"`
}

type wireKeyCount struct {
	Key   lenientString `json:"key"`
	Value lenientNumber `json:"value"`
}

type wireJob struct {
	ID         lenientString `json:"id"`
	TemplateID lenientString `json:"templateId"`
	Schedule   *struct {
		State    lenientString   `json:"state"`
		Interval lenientDuration `json:"interval"`
	} `json:"schedule"`
	Status *struct {
		Code                     lenientString   `json:"code"`
		CountSuccessiveFailures  lenientNumber   `json:"countSuccessiveCompleteFailures"`
		LastExecution            *wireExecution  `json:"lastExecution"`
		LastSuccessfulExecution  *wireExecution  `json:"lastSuccessfulExecution"`
		Quarantine               *wireQuarantine `json:"quarantine"`
		SteadyStateFirstAchieved lenientTime     `json:"steadyStateFirstAchievedTime"`
		SteadyStateLastAchieved  lenientTime     `json:"steadyStateLastAchievedTime"`
		SynchronizedEntries      []wireKeyCount  `json:"synchronizedEntryCountByType"`
	} `json:"status"`
}

// ErrNotAnObject is returned for payloads that are not a JSON object.
var ErrNotAnObject = errors.New("synchronization job is not a JSON object")

// Option changes how Parse decodes.
type Option func(*options)

type options struct{ strict bool }

// Strict makes Parse fail on any malformed field instead of dropping it.
func Strict() Option { return func(o *options) { o.strict = true } }

// Parse decodes one synchronizationJob. A syntax error or a non-object payload
// is an error; wrongly typed fields are dropped and listed in Job.Problems
// (or, with Strict, make Parse fail).
func Parse(raw []byte, opts ...Option) (*Job, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	j, err := parse(raw)
	if err == nil && o.strict && len(j.Problems) > 0 {
		return nil, fmt.Errorf("decode synchronization job: malformed %s", strings.Join(j.Problems, ", "))
	}
	return j, err
}

func parse(raw []byte) (*Job, error) {
	var w wireJob
	err := json.Unmarshal(raw, &w)
	var typeErr *json.UnmarshalTypeError
	var problems []string
	switch {
	case err == nil:
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return nil, fmt.Errorf("%w (got JSON %s)", ErrNotAnObject, typeErr.Value)
		}
		// encoding/json skips the mistyped field and decodes the rest.
		problems = append(problems, typeErr.Field)
	default:
		return nil, fmt.Errorf("decode synchronization job: %w", err)
	}
	c := collector{problems: problems}
	j := &Job{
		ID:         c.str("id", w.ID),
		TemplateID: c.str("templateId", w.TemplateID),
	}
	if s := w.Schedule; s != nil {
		j.ScheduleState = c.str("schedule.state", s.State)
		j.ScheduleInterval = c.dur("schedule.interval", s.Interval)
		if j.ScheduleInterval.Valid {
			j.ScheduleIntervalText = s.Interval.text
		}
	}
	if st := w.Status; st != nil {
		j.Code = c.str("status.code", st.Code)
		j.ConsecutiveFailures = c.num("status.countSuccessiveCompleteFailures", st.CountSuccessiveFailures)
		j.LastExecution = c.execution("status.lastExecution", st.LastExecution)
		j.LastSuccessfulExecution = c.execution("status.lastSuccessfulExecution", st.LastSuccessfulExecution)
		j.SteadyStateFirstAchieved = c.time("status.steadyStateFirstAchievedTime", st.SteadyStateFirstAchieved)
		j.SteadyStateLastAchieved = c.time("status.steadyStateLastAchievedTime", st.SteadyStateLastAchieved)
		if q := st.Quarantine; q != nil {
			j.Quarantine = &Quarantine{
				Reason:       c.str("status.quarantine.reason", q.Reason),
				ErrorCode:    c.errCode("status.quarantine.error.code", q.Error),
				ErrorMessage: c.errMessage("status.quarantine.error.message", q.Error),
				SeriesBegan:  c.time("status.quarantine.seriesBegan", q.SeriesBegan),
				CurrentBegan: c.time("status.quarantine.currentBegan", q.CurrentBegan),
				NextAttempt:  c.time("status.quarantine.nextAttempt", q.NextAttempt),
				SeriesCount:  c.num("status.quarantine.seriesCount", q.SeriesCount),
			}
		}
		for _, kv := range st.SynchronizedEntries {
			key := c.str("status.synchronizedEntryCountByType.key", kv.Key)
			v := c.num("status.synchronizedEntryCountByType.value", kv.Value)
			if key == "" || !v.Valid {
				continue
			}
			if j.SynchronizedEntries == nil {
				j.SynchronizedEntries = map[string]float64{}
			}
			j.SynchronizedEntries[key] = v.Value
		}
	}
	sort.Strings(c.problems)
	j.Problems = c.problems
	return j, nil
}

// collector gathers field values and remembers which ones were malformed.
type collector struct{ problems []string }

func (c *collector) note(field string, bad bool) {
	if bad {
		c.problems = append(c.problems, field)
	}
}

func (c *collector) str(field string, v lenientString) string { c.note(field, v.bad); return v.s }
func (c *collector) num(field string, v lenientNumber) Opt    { c.note(field, v.bad); return v.v }
func (c *collector) time(field string, v lenientTime) Opt     { c.note(field, v.bad); return v.v }
func (c *collector) dur(field string, v lenientDuration) Opt  { c.note(field, v.bad); return v.v }

func (c *collector) errCode(field string, e *wireError) string {
	if e == nil {
		return ""
	}
	return c.str(field, e.Code)
}

func (c *collector) errMessage(field string, e *wireError) string {
	if e == nil {
		return ""
	}
	return c.str(field, e.Message)
}

func (c *collector) execution(field string, e *wireExecution) *Execution {
	if e == nil {
		return nil
	}
	x := &Execution{
		State:        c.str(field+".state", e.State),
		Began:        c.time(field+".timeBegan", e.TimeBegan),
		Ended:        c.time(field+".timeEnded", e.TimeEnded),
		Escrowed:     c.num(field+".countEscrowed", e.Escrowed),
		Exported:     c.num(field+".countExported", e.Exported),
		Imported:     c.num(field+".countImported", e.Imported),
		ErrorCode:    c.errCode(field+".error.code", e.Error),
		ErrorMessage: c.errMessage(field+".error.message", e.Error),
	}
	// An execution that never began (sentinel or missing timeBegan) and has no
	// state is Graph's placeholder for "no execution yet".
	if x.State == "" && !x.Began.Valid && !x.Ended.Valid {
		return nil
	}
	return x
}
