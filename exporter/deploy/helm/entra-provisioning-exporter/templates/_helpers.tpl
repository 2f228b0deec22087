{{- define "epe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "epe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "epe.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "epe.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "epe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "epe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "epe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "epe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: entra-provisioning
{{- end }}

{{- define "epe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "epe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "epe.validate" -}}
{{- if and (not .Values.credentials.existingSecret) (not .Values.workloadIdentity.enabled) }}
{{- fail "set credentials.existingSecret (a Secret with AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET) or workloadIdentity.enabled=true with credentials.tenantId and credentials.clientId" }}
{{- end }}
{{- if and .Values.workloadIdentity.enabled (or (not .Values.credentials.tenantId) (not .Values.credentials.clientId)) }}
{{- fail "workloadIdentity.enabled=true needs credentials.tenantId and credentials.clientId (the app registration with the federated credential)" }}
{{- end }}
{{- end }}
