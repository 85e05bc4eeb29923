package cli

import (
	"strings"
	"testing"

	"kongchuo.io/kongchuo/internal/registry"
)

// TestImportHouseholdPrintsTheComparisonInChinese: a household extract with a school-age child
// no school registered and a bad row prints the township's counts and the row's problem in
// Chinese, without the child's ID.
func TestImportHouseholdPrintsTheComparisonInChinese(t *testing.T) {
	ns := newNamespace(t)
	child := registry.MakeResidentID("520121", "2018-06-01", 41)
	extract := "公民身份号码,姓名,户籍所在乡镇代码\n" + child + ",Test Newcomer,520121100\n" + child[:17] + "Y,Test Typo,520121100\n"
	code, out, errOut := runIn(t, LangChinese, "import", "household", writeFile(t, "户籍.csv", []byte(extract)), "-n", ns)
	if code != ExitRejected || !strings.Contains(out, "新建学生 1") || !strings.Contains(out, "学籍无此生") ||
		!strings.Contains(out, "520121100  1") || !strings.Contains(out, "第 3 行：身份证件号（resident_id）：不是有效的18位身份证号") || strings.Contains(out, child[:17]) {
		t.Fatalf("%d %q %q", code, out, errOut)
	}
}
