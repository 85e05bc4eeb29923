package registry

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// exportHeader is the header of a registry export as the national system writes it, with two
// columns we do not use (民族, 备注) and full-width parentheses.
const exportHeader = "姓名,性别,民族,出生日期,身份证件号,全国学籍号,乡镇（街道）代码,村(社区)代码,学籍状态,学校标识码,年级,班级,监护人姓名,监护人联系电话,重点群体,备注\n"

func exportRows() string {
	return "王小明,男,汉族,2017/3/15," + id1 + ",G" + id1 + ",520121100,520121100201,在籍,5201210001,三年级,1班,王大山,13800000001,留守儿童；建档立卡,无\n" +
		"李小红,女,苗族,2016年7月1日," + id2 + ",,520121100,,未入学,,,,,,,\n"
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkExport(t *testing.T, f *RegistryFile, enc Encoding) {
	t.Helper()
	if len(f.Errors) != 0 || len(f.Rows) != 2 {
		t.Fatalf("rows %d errors %v", len(f.Rows), f.Errors)
	}
	if f.Encoding != enc {
		t.Errorf("encoding %s, want %s", f.Encoding, enc)
	}
	boy, girl := f.Rows[0].Student.Spec, f.Rows[1].Student.Spec
	if boy.Name != "王小明" || boy.Sex != v1.SexMale || boy.BirthDate != "2017-03-15" || boy.Enrolment.Grade != 3 ||
		boy.Enrolment.Class != 1 || boy.Enrolment.Status != v1.EnrolmentEnrolled || boy.Residence.Village != "520121100201" ||
		len(boy.FocusGroups) != 2 || boy.FocusGroups[1] != v1.FocusRegisteredPoor || boy.Guardians[0].Phone != "13800000001" {
		t.Errorf("first row = %+v", boy)
	}
	if girl.Sex != v1.SexFemale || girl.BirthDate != "2016-07-01" || girl.Enrolment.Status != v1.EnrolmentNotEnrolled {
		t.Errorf("second row = %+v", girl)
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Line != 1 ||
		!strings.Contains(f.Warnings[0].Error(), `column 3 ("民族")`) || !strings.Contains(f.Warnings[0].Error(), `column 16 ("备注")`) {
		t.Errorf("warnings = %v, want columns 3 and 16 ignored", f.Warnings)
	}
}

func TestRegistryExportInGB18030WithChineseHeadersAndExtraColumns(t *testing.T) {
	f, err := ParseRegistry(bytes.NewReader(gb18030(t, exportHeader+exportRows())))
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, f, EncodingGB18030)
}

func TestRegistryExportInUTF8WithByteOrderMark(t *testing.T) {
	f, err := ParseRegistry(strings.NewReader("\ufeff" + exportHeader + exportRows()))
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, f, EncodingUTF8)
}

// xlsxOf writes rows into the first sheet of a workbook; cells a spreadsheet leaves empty at
// the end of a row are not written, as Excel does.
func xlsxOf(t *testing.T, csvText string) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimSuffix(csvText, "\n"), "\n") {
		cells := strings.Split(line, ",")
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		row := make([]any, len(cells))
		for j, c := range cells {
			row[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRegistryExportAsXLSX(t *testing.T) {
	f, err := ParseRegistry(bytes.NewReader(xlsxOf(t, exportHeader+exportRows())))
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, f, EncodingXLSX)
	if f.Rows[1].Line != 3 {
		t.Errorf("second child on line %d, want spreadsheet row 3", f.Rows[1].Line)
	}
}

func TestSexMustMatchTheResidentID(t *testing.T) {
	f := parseOK(t, "resident_id,name,sex,birth_date,township,enrolment_status\n"+
		id1+",王小明,女,2017-03-15,520121100,NotEnrolled\n"+
		id2+",李小红,不详,2016-07-01,520121100,NotEnrolled\n")
	if len(f.Rows) != 0 || len(f.Errors) != 2 ||
		!strings.Contains(f.Errors[0].Error(), "sex: does not match the resident ID") ||
		!strings.Contains(f.Errors[1].Error(), "sex: must be 男 or 女") {
		t.Errorf("errors = %v", f.Errors)
	}
}

func TestNotTextIsAFileError(t *testing.T) {
	_, err := ParseRegistry(bytes.NewReader([]byte{0x81, 0x20, 0xff, 0xfe, 0x00}))
	if err == nil || !strings.Contains(err.Error(), "neither UTF-8 nor GB18030") {
		t.Errorf("err = %v", err)
	}
}

func TestAttendanceByStudentNumberWithChineseHeaders(t *testing.T) {
	in := gb18030(t, "学校标识码,年级,班级,考勤日期,填报人,学籍号,缺勤类型,备注\n"+
		"5201210001,三年级,2班,2026/11/20,班主任,G"+id1+",旷课,\n")
	resolve := func(id string) (string, bool) { return "stu-from-" + id, id == "G"+id1 }
	f, err := ParseAttendance(bytes.NewReader(in), resolve)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != 0 || len(f.Reports) != 1 {
		t.Fatalf("errors %v reports %d", f.Errors, len(f.Reports))
	}
	r := f.Reports[0].Report.Spec
	if r.Grade != 3 || r.Class != 2 || r.Date != "2026-11-20" || len(r.Absences) != 1 ||
		r.Absences[0].Student != "stu-from-G"+id1 || r.Absences[0].Kind != "Unexcused" {
		t.Errorf("report = %+v", r)
	}
}
