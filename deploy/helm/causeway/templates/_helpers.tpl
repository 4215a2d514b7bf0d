{{/* The chart's name, or nameOverride. */}}
{{- define "causeway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The objects' name: fullnameOverride, the release name when it holds the chart's name, else RELEASE-NAME. */}}
{{- define "causeway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "causeway.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* What selects the pods. */}}
{{- define "causeway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "causeway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Every object's labels: Kubernetes' recommended ones, and those Causeway's
golden paths put on a service (gitops-common workloadBasics), so that the
Kubernetes view and the scorecard find Causeway as they find any service.
*/}}
{{- define "causeway.labels" -}}
{{ include "causeway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ .Values.catalog.system }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
backstage.io/kubernetes-id: {{ .Values.catalog.kubernetesId }}
causeway.dev/owner: {{ .Values.catalog.owner }}
causeway.dev/tier: {{ .Values.catalog.tier }}
causeway.dev/environment: {{ .Values.catalog.environment }}
{{- end }}

{{/* The Secret the credentials come from. */}}
{{- define "causeway.secretName" -}}
{{- default (include "causeway.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* The most replicas that may run at once. */}}
{{- define "causeway.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- if lt (int .Values.autoscaling.maxReplicas) (int .Values.replicas) }}
{{- fail (printf "autoscaling.maxReplicas (%d) is below replicas (%d), the autoscaler's minimum" (int .Values.autoscaling.maxReplicas) (int .Values.replicas)) }}
{{- end }}
{{- int .Values.autoscaling.maxReplicas }}
{{- else }}
{{- int .Values.replicas }}
{{- end }}
{{- end }}

{{/*
Each plugin database's pool size: at most 80% of PostgreSQL's
max_connections shared by every pool of every replica that may run.
*/}}
{{- define "causeway.poolMax" -}}
{{- $replicas := int (include "causeway.maxReplicas" .) }}
{{- $plugins := int .Values.postgresql.pluginsWithDatabase }}
{{- $budget := div (mul (int .Values.postgresql.maxConnections) 80) 100 }}
{{- $pool := div $budget (mul $replicas $plugins) }}
{{- if lt $pool 1 }}
{{- fail (printf "postgresql.maxConnections %d is too few for %d replicas x %d plugin databases: one connection per pool within 80%% of max_connections needs at least %d; raise max_connections or lower autoscaling.maxReplicas" (int .Values.postgresql.maxConnections) $replicas $plugins (div (add (mul $replicas $plugins 100) 79) 80)) }}
{{- end }}
{{- $pool }}
{{- end }}

{{/* backend.lifecycle.serverShutdownDelay, in seconds: longer than the readiness probe's failure window. */}}
{{- define "causeway.shutdownDelaySeconds" -}}
{{- add (mul (int .Values.probes.readiness.periodSeconds) (int .Values.probes.readiness.failureThreshold)) (int .Values.lifecycle.shutdownDelayMarginSeconds) }}
{{- end }}
