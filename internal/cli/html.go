package cli

import (
	"fmt"
	"html/template"
	"io"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ledgerPage is a ledger as a page to print and hand in: the title, one table with every
// column (codes as text, so nothing reformats them), and the notes. A4 landscape, because a 台账
// is wider than it is long.
var ledgerPage = template.Must(template.New("ledger").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: 2px 4px; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
</style></head><body>
<h1>{{.Title}}</h1>
<table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
{{range .Notes}}<p>{{.}}</p>{{end}}
</body></html>
`))

// writeHTML writes one ledger table as a printable HTML page.
func writeHTML(w io.Writer, lang, title string, mt *metav1.Table, notes []string) error {
	page := struct {
		Lang, Title string
		Header      []string
		Rows        [][]string
		Notes       []string
	}{Lang: map[string]string{LangChinese: "zh-CN"}[lang], Title: title, Notes: notes}
	if page.Lang == "" {
		page.Lang = "en"
	}
	for _, c := range mt.ColumnDefinitions {
		page.Header = append(page.Header, c.Name)
	}
	for _, r := range mt.Rows {
		page.Rows = append(page.Rows, cellStrings(r))
	}
	if err := ledgerPage.Execute(w, page); err != nil {
		return fmt.Errorf("writing the page: %w", err)
	}
	return nil
}
