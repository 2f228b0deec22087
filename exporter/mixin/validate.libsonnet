// Checks the mixin's _config; every error names the field and the fix.
local positiveNumbers = [
  'staleFactor', 'consecutiveFailures', 'noSuccessIntervals', 'entryLevelErrorCycles', 'quarantineLongDays',
];
local durations = [
  'staleFor', 'exporterDownFor', 'exporterAbsentFor', 'cannotPollFor', 'noJobsFor', 'entryLevelErrorWindow',
  'quarantineFor', 'jobPausedFor', 'jobDisabledFor', 'vanishedWindow', 'deprovisioningWindow',
];
local severities = ['quarantineSeverity', 'disabledSeverity', 'deprovisioningSeverity', 'exporterDownSeverity'];
local strings = ['exporterSelector', 'runbookURLPattern', 'dashboardUID', 'dashboardTitle'];
local labelLists = ['instanceLabels', 'groupLabels'];

local isDuration(v) =
  std.isString(v) && std.length(v) >= 2
  && std.member(['s', 'm', 'h', 'd', 'w'], v[std.length(v) - 1])
  && std.all([std.member('0123456789', ch) for ch in std.stringChars(std.substr(v, 0, std.length(v) - 1))]);

local fail(field, want, v) =
  error 'mixin _config.%s must be %s, got %s' % [field, want, std.manifestJsonMinified(v)];

function(cfg)
  [
    if !std.objectHas(cfg, f) then error 'mixin _config.%s is missing' % f
    else if !(std.isNumber(cfg[f]) && cfg[f] > 0) then fail(f, 'a positive number (e.g. 3)', cfg[f])
    else true
    for f in positiveNumbers
  ] + [
    if !isDuration(cfg[f]) then fail(f, 'a Prometheus duration such as "15m" (one number and a unit s, m, h, d or w)', cfg[f]) else true
    for f in durations
  ] + [
    if !std.member(['critical', 'warning', 'info'], cfg[f]) then fail(f, 'one of "critical", "warning", "info"', cfg[f]) else true
    for f in severities
  ] + [
    if !(std.isString(cfg[f]) && cfg[f] != '') then fail(f, 'a non-empty string', cfg[f]) else true
    for f in strings
  ] + [
    if !(std.isArray(cfg[f]) && std.length(cfg[f]) > 0 && std.all([std.isString(l) for l in cfg[f]])) then fail(f, 'a non-empty list of label names', cfg[f]) else true
    for f in labelLists
  ] + [
    if std.length(std.findSubstr('%s', cfg.runbookURLPattern)) != 1 then fail('runbookURLPattern', 'a URL with exactly one %s (the alert name)', cfg.runbookURLPattern) else true,
    if cfg.entryLevelErrorCycles < 2 then fail('entryLevelErrorCycles', 'at least 2 (one cycle with entry-level errors is what the last-cycle panel shows)', cfg.entryLevelErrorCycles) else true,
  ]
