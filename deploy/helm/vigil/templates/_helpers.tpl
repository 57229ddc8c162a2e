{{/* Labels of every object: as deploy/kubernetes, plus the release. */}}
{{- define "vigil.labels" -}}
app.kubernetes.io/name: vigil
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: vigil
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The pods of one Deployment: (dict "root" $ "component" NAME). */}}
{{- define "vigil.selectorLabels" -}}
app.kubernetes.io/name: vigil
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "vigil.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "vigil.tokensSecret" -}}
{{ .Values.tokens.existingSecret | default (printf "%s-tokens" .Release.Name) }}
{{- end -}}

{{/* The port probes, Services and the ServiceMonitor use: https with TLS, else http. */}}
{{- define "vigil.portName" -}}
{{ if .Values.tls.enabled }}https{{ else }}http{{ end }}
{{- end -}}

{{- define "vigil.scheme" -}}
{{ if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end }}
{{- end -}}

{{- define "vigil.port" -}}
{{ if .Values.tls.enabled }}{{ .Values.tls.port }}{{ else }}{{ .Values.http.port }}{{ end }}
{{- end -}}
