{{/* Name of the release's objects: the release name, with -kongchuo unless it already says so. */}}
{{- define "kongchuo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kongchuo.managerName" -}}
{{- printf "%s-manager" (include "kongchuo.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kongchuo.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: manager
{{- end -}}

{{- define "kongchuo.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: kongchuo
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "kongchuo.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* --school-age-cutoff: the default, then NAMESPACE=MM-DD per county, sorted. */}}
{{- define "kongchuo.schoolAgeCutoff" -}}
{{- $parts := list .Values.schoolAgeCutoff -}}
{{- range $ns := keys .Values.countySchoolAgeCutoffs | sortAlpha -}}
{{- $parts = append $parts (printf "%s=%s" $ns (index $.Values.countySchoolAgeCutoffs $ns)) -}}
{{- end -}}
{{- join "," $parts -}}
{{- end -}}

{{/* The ClusterRole rules of a file in files/ (copied from config/rbac by hack/sync-chart.sh). */}}
{{- define "kongchuo.rulesOf" -}}
{{- (.Files.Get .file | fromYaml).rules | toYaml -}}
{{- end -}}
