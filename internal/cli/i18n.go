package cli

import (
	"fmt"
	"regexp"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"kongchuo.io/kongchuo/internal/terms"
)

// Messages are keyed by their English text: with --lang en the key is the format itself, and
// with --lang zh (the default) golang.org/x/text/message looks the Chinese text up here. A
// message missing from the table prints in English, never as a key.
var zhMessages = map[string]string{
	// Errors and hints.
	"error: %v\n":                                      "错误：%v\n",
	"namespace %q does not exist":                      "命名空间 %q 不存在",
	"; counties (namespaces) with Students: %s":        "；有学生数据的县（命名空间）：%s",
	"no namespace: give -n NAMESPACE (one per county)": "没有指定命名空间：请用 -n 给出县的命名空间",
	"no Students in namespace %q: is it the right county? (import the registry first: kubectl kongchuo import registry FILE -n %s)": "命名空间 %q 中没有任何学生：县名是否写错？（请先导入学籍：kubectl kongchuo import registry 文件 -n %s）",
	"no Students in any namespace: import the registry first":                                                                       "所有命名空间都没有学生：请先导入学籍",
	"-o csv, -o xlsx and -o html print one ledger: name it (suspected, confirmed or roster)":                                        "-o csv、-o xlsx 和 -o html 只能输出一个台账：请指明 suspected、confirmed 或 roster",
	"--as-of must be a date written YYYY-MM-DD, not %q":                                                                             "--as-of 须为 YYYY-MM-DD 格式的日期，而不是 %q",
	"--as-of %s is after today: the record holds only days past":                                                                    "--as-of %s 晚于今天：记录只有已过去的日子",
	"unknown output format %q: use %s":                                                                                              "不支持的输出格式 %q：可用 %s",
	"--workers must be at least 1":                                                                                                  "--workers 至少为 1",
	"--line must be Education or Government":                                                                                        "--line 必须是 Education（学校线）或 Government（政府线）",
	"--outcome must be NoContact, Contacted, Refused, Promised or Returned":                                                         "--outcome 必须是 NoContact、Contacted、Refused、Promised 或 Returned",
	"ACTION must be one of %s":                                                                                                      "ACTION 必须是以下之一：%s",
	"record --from-file takes no other arguments":                                                                                   "record --from-file 不接受其他参数",
	"--mine asks the API server who you are: %w":                                                                                    "--mine 需要向 API 服务器确认您的身份：%w",
	"no agreement names you (%s) in spec.responsible.username: ask the county to add it (see docs/zh/使用手册.md)":                      "没有责任书在 spec.responsible.username 中登记您（%s）：请县教育局补登（见 docs/zh/使用手册.md）",

	// Import results.
	"%d rows: %d created, %d changed, %d unchanged, %d rejected":                                           "共 %d 行：新建 %d，更新 %d，未变 %d，拒绝 %d",
	" (dry run: nothing was written; the counts say what would happen)":                                    "（试运行：未写入任何数据，数字表示实际导入时的结果）",
	"%d rows: %d reports created, %d corrected, %d unchanged; %d rows rejected":                            "共 %d 行：新建考勤报告 %d，更正 %d，未变 %d；拒绝 %d 行",
	"%d rows (%d not of school age, left out): %d Students created, %d changed, %d unchanged, %d rejected": "共 %d 行（非适龄 %d 行，未导入）：新建学生 %d，更新 %d，未变 %d，拒绝 %d",
	"TOWNSHIP\tLISTED\tIN BOTH\tNOT IN STUDENT REGISTRY (失学)\tNOT IN THIS SOURCE (to check)":               "乡镇\t本数据适龄儿童\t两边都有\t学籍无此生（失学，已建档立案）\t本数据无此生（在籍，待核实）",
	"line %d: %s": "第 %d 行：%s",
	"warnings:":   "警告：",
	"file: %s":    "文件：%s",
	"column %d (%q) is not a known column: ignored": "第 %d 列（%q）不是已知列，已忽略",

	// Case work.
	"%s recorded on %s\n":                                              "%s 已记入案件 %s\n",
	"%s: already recorded on %s; nothing changed\n":                    "%s：案件 %s 中已有此记录，未作改动\n",
	"case %s closed by decision of %s on %s\n":                         "案件 %s 已由 %s 于 %s 决定销号\n",
	"case %s was already closed with this decision; nothing changed\n": "案件 %s 已按此决定销号，未作改动\n",
	"%d rows: %d recorded, %d already recorded, %d failed":             "共 %d 行：记录 %d，已有 %d，失败 %d",
	"line %d: %s recorded on %s\n":                                     "第 %d 行：%s 已记入案件 %s\n",
	"line %d: %s: already recorded on %s\n":                            "第 %d 行：%s：案件 %s 中已有此记录\n",

	// Ledgers.
	"Suspected dropouts (疑似辍学台账): at risk, or case open at the school":            "疑似辍学台账：有辍学风险，或案件仍在学校阶段",
	"Confirmed dropouts (辍学台账): cases reported to the township, until struck off": "辍学台账：已报乡镇的案件，直至销号",
	"School-age roster (适龄儿童少年花名册)":                                               "适龄儿童少年花名册",
	"%d children":            "共 %d 名儿童",
	"%d open cases":          "共 %d 个未销号案件",
	"%d school-age children": "共 %d 名适龄儿童",
	"attendance unknown, class not reporting: %s": "班级未报考勤、出勤情况不明: %s",
	"%d %s": "%[2]s %[1]d",
	"%d Students not yet processed by the controller (no status) are not listed": "%d 名学生尚未被控制器处理（无状态），未列入",
	"Work queue: what each responsible person owes, overdue first":               "待办清单：各责任人应办事项，逾期在前",
	"%d items, %d overdue": "共 %d 项，逾期 %d 项",
	"nothing is due":       "没有待办事项",

	// Version.
	"kubectl-kongchuo %s (%s, %s)\n": "kubectl-kongchuo %s（%s，%s）\n",
	"server: %s\n":                   "服务器：%s\n",
}

// zhColumns are the Chinese headings of table columns, keyed by the English heading.
var zhColumns = map[string]string{
	"NAMESPACE": "命名空间", "SCHOOL": "学校", "GRADE": "年级", "CLASS": "班级", "STUDENT": "学生",
	"NAME": "姓名", "SEX": "性别", "DAYS": "连续旷课天数", "ABSENT-SINCE": "旷课起始", "STATE": "状态",
	"CASE": "案件", "DEADLINE": "期限", "EDUCATION": "学校线责任人", "GOVERNMENT": "政府线责任人",
	"TOWNSHIP": "乡镇", "VILLAGE": "村", "TYPE": "类型", "STAGE": "阶段", "OPENED": "立案日期",
	"VISITS": "家访次数", "ACTION-DUE": "应办事项", "OVERDUE": "逾期", "AGE": "年龄",
	"ENROLMENT": "学籍状态", "FOCUS": "重点群体", "ABSENT": "旷课天数", "PERSON": "责任人",
	"ROLE": "岗位", "LINE": "责任线", "ACTION": "应办事项", "DUE-BY": "最迟办理日", "WHAT": "事项",
	"SCHOOL-NAME": "学校名称", "TOWNSHIP-NAME": "乡镇名称", "VILLAGE-NAME": "村名称", "GUARDIAN": "监护人",
	"PHONE": "联系电话", "CAUSE": "辍学原因", "MEASURES": "采取措施", "PLACEMENT": "劝返安置",
	"SUPPORT": "帮扶缺项",
}

var catalogue = newCatalogue()

func newCatalogue() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, messages := range []map[string]string{zhMessages, zhReportMessages} {
		for en, zh := range messages {
			if err := b.SetString(language.Chinese, en, zh); err != nil {
				panic(fmt.Sprintf("message catalogue: %q: %v", en, err))
			}
		}
	}
	return b
}

// Languages the plugin speaks.
const (
	LangChinese = "zh"
	LangEnglish = "en"
)

// localizer prints in one language.
type localizer struct {
	lang string
	p    *message.Printer
}

func newLocalizer(lang string) (*localizer, error) {
	switch lang {
	case LangChinese:
		return &localizer{lang: lang, p: message.NewPrinter(language.Chinese, message.Catalog(catalogue))}, nil
	case LangEnglish:
		return &localizer{lang: lang, p: message.NewPrinter(language.English, message.Catalog(catalogue))}, nil
	}
	return nil, fmt.Errorf("--lang must be zh or en, not %q", lang)
}

// Sprintf formats a message in the localizer's language.
func (l *localizer) Sprintf(format string, args ...any) string { return l.p.Sprintf(format, args...) }

// Errorf makes an error whose text is in the localizer's language. A %w verb wraps as fmt.Errorf does.
func (l *localizer) Errorf(format string, args ...any) error {
	translated := format
	if l.lang == LangChinese {
		if zh, ok := zhMessages[format]; ok {
			translated = zh
		}
	}
	return fmt.Errorf(translated, args...)
}

// column is the heading of a column.
func (l *localizer) column(en string) string {
	if l.lang == LangChinese {
		if zh, ok := zhColumns[en]; ok {
			return zh
		}
	}
	return en
}

// apiWord is an identifier-like word in a cell: the enumerated values are written in CamelCase.
var apiWord = regexp.MustCompile(`[A-Z][A-Za-z]+`)

// terms translates every enumerated value inside a cell that holds several among other text
// (dates, names), as the measures taken do.
func (l *localizer) terms(cell string) string {
	if l.lang != LangChinese {
		return cell
	}
	return apiWord.ReplaceAllStringFunc(cell, l.term)
}

// term is the displayed name of an enumerated value (a stage, role, action…).
func (l *localizer) term(v string) string {
	if l.lang == LangChinese {
		if zh, ok := terms.Chinese(v); ok {
			return zh
		}
	}
	return v
}
