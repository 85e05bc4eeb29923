package registry

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// SourceColumns are the columns of a household-registry (户籍) or poverty-database (国扶,
// 建档立卡) extract: who the child is and where it lives, nothing about school. The Chinese
// names of the public-security and poverty exports (公民身份号码, 户籍所在乡镇代码…) are in
// chineseColumns.
var SourceColumns = []Column{
	{ColResidentID, true, "resident ID (身份证号), 18 characters; the check digit is verified"},
	{ColName, true, "the child's name"},
	{ColSex, false, "男 or 女; empty: taken from resident_id"},
	{ColBirthDate, false, "YYYY-MM-DD; empty: taken from resident_id, given: must match it"},
	{ColTownship, true, "9-digit township code (乡镇) of the household"},
	{ColVillage, false, "12-digit village code (村), beginning with the township code"},
	{ColGroup, false, "15-digit village group code (村民小组), beginning with the village code"},
}

// SourceFile is a parsed household or poverty extract. Its row errors are in Chinese: the clerks
// who export these files read them.
type SourceFile struct {
	Rows     []Row
	Errors   []RowError
	Warnings []RowError
	Encoding Encoding
}

// ParseSource reads a household or poverty extract. Every valid row becomes a Student spec with
// the child's identity and residence and no enrolment (NotEnrolled): the importer keeps the
// student registry's record instead when the child has one. A resident ID seen on an earlier line
// is refused, naming that line.
func ParseSource(in io.Reader) (*SourceFile, error) {
	t, err := newTable(in, SourceColumns, nil)
	if err != nil {
		return nil, err
	}
	f := &SourceFile{Warnings: t.warnings, Encoding: t.encoding}
	seen := map[string]int{}
	for {
		rec, rowErr, err := t.next()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		if rowErr != nil {
			f.Errors = append(f.Errors, *rowErr)
			continue
		}
		stu, reasons := sourceStudent(rec)
		if id := stu.Spec.ResidentID; id != "" {
			if first, dup := seen[id]; dup {
				reasons = append(reasons, fmt.Sprintf("身份证号（resident_id）：与第 %d 行相同（一人一籍）", first))
			} else {
				seen[id] = rec.line
			}
		}
		if len(reasons) > 0 {
			f.Errors = append(f.Errors, RowError{Line: rec.line, Reasons: reasons})
			continue
		}
		f.Rows = append(f.Rows, Row{Line: rec.line, Student: stu})
	}
}

// sourceStudent checks one row of a source extract; the reasons name the column in Chinese and
// English and never repeat the value.
func sourceStudent(rec record) (*v1.Student, []string) {
	var reasons []string
	bad := func(col, why string) {
		reasons = append(reasons, fmt.Sprintf("%s（%s）：%s", ChineseName(col), col, why))
	}
	spec := v1.StudentSpec{Enrolment: v1.Enrolment{Status: v1.EnrolmentNotEnrolled}}
	switch id := CanonicalizeID(rec.get(ColResidentID)); {
	case id == "":
		bad(ColResidentID, "必填")
	case ResidentIDProblem(id) != "":
		bad(ColResidentID, "不是有效的18位身份证号（位数、出生日期或校验位不对；若被表格软件改成了数字，请把该列设为文本后重新导出）")
	default:
		spec.ResidentID = id
	}
	spec.Name = rec.get(ColName)
	switch n := utf8.RuneCountInString(spec.Name); {
	case n == 0:
		bad(ColName, "必填")
	case n > 64:
		bad(ColName, "最多64个字")
	case TextProblem(spec.Name) != "":
		bad(ColName, "含有控制字符或不可见字符，请重新输入")
	}
	fromID := ResidentIDBirthDate(spec.ResidentID)
	spec.BirthDate = v1.Date(normalizeDate(rec.get(ColBirthDate)))
	switch {
	case spec.BirthDate == "":
		spec.BirthDate = v1.Date(fromID)
	case dateProblem(string(spec.BirthDate)) != "":
		bad(ColBirthDate, "日期应写作 YYYY-MM-DD，例如 2015-03-15")
	case fromID != "" && fromID != string(spec.BirthDate):
		bad(ColBirthDate, "与身份证号中的出生日期（第7至14位）不符")
	}
	switch s := strings.TrimSpace(rec.get(ColSex)); s {
	case "":
		spec.Sex = ResidentIDSex(spec.ResidentID)
	case "男", "女":
		spec.Sex = map[string]v1.Sex{"男": v1.SexMale, "女": v1.SexFemale}[s]
		if fromID := ResidentIDSex(spec.ResidentID); fromID != "" && fromID != spec.Sex {
			bad(ColSex, "与身份证号第17位不符（男单女双）")
		}
	default:
		bad(ColSex, "应为 男 或 女")
	}
	r := &spec.Residence
	r.Township, r.Village, r.Group = v1.TownshipCode(rec.get(ColTownship)), v1.VillageCode(rec.get(ColVillage)), v1.GroupCode(rec.get(ColGroup))
	switch {
	case r.Township == "":
		bad(ColTownship, "必填")
	case !reTownship.MatchString(string(r.Township)):
		bad(ColTownship, "应为9位数字：6位县代码加3位，例如 520121100")
	}
	if r.Village != "" && (!reVillage.MatchString(string(r.Village)) || !strings.HasPrefix(string(r.Village), string(r.Township))) {
		bad(ColVillage, "应为12位数字，并以乡镇代码开头，例如 520121100201")
	}
	if r.Group != "" && (r.Village == "" || !reGroup.MatchString(string(r.Group)) || !strings.HasPrefix(string(r.Group), string(r.Village))) {
		bad(ColGroup, "应为15位数字，并以村代码开头（须同时填写村代码），例如 520121100201003")
	}
	return &v1.Student{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "Student"},
		ObjectMeta: metav1.ObjectMeta{Name: StudentName(spec.ResidentID)},
		Spec:       spec,
	}, reasons
}
