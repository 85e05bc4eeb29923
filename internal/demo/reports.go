package demo

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// ConfirmedBy is who confirmed the demo's earlier reports.
const ConfirmedBy = "demo-county-bureau"

// Reports are the monthly reports (月报) of the two months before the demo's own: the county had
// no roll calls in the cluster then, so they are written here as a county migrating its paper
// reports would load them, with the enrolment of the generated children. The older month was
// confirmed on its due days; the later one was not, so its reports are Late.
func (c *County) Reports() []*v1.MonthlyReport {
	var out []*v1.MonthlyReport
	first := time.Date(c.Today.Year(), c.Today.Month(), 1, 0, 0, 0, 0, time.UTC)
	for back, confirmed := range map[int]bool{2: true, 1: false} {
		month := first.AddDate(0, -back, 0)
		for _, s := range Schools {
			out = append(out, c.report(v1.ReportSchool, "school-"+s.Code, s.Code, s.Name, month, confirmed, func(ch *Child) bool {
				return string(ch.Spec.Enrolment.School) == s.Code && ch.Spec.Enrolment.Status == v1.EnrolmentEnrolled
			}))
		}
		for _, t := range townships {
			out = append(out, c.report(v1.ReportTownship, "township-"+t.code, t.code, t.name, month, confirmed, func(ch *Child) bool {
				return string(ch.Spec.Residence.Township) == t.code
			}))
		}
		out = append(out, c.report(v1.ReportCounty, "county-education", "", "示范县", month, confirmed, func(*Child) bool { return true }))
	}
	return out
}

func (c *County) report(level v1.ReportLevel, agreement, code, name string, month time.Time, confirmed bool, in func(*Child) bool) *v1.MonthlyReport {
	s := policy.ScheduleFor(level, v1.Reporting{}, month)
	var n, enrolled int32
	for _, ch := range c.Children {
		if in(ch) {
			n++
			if ch.Spec.Enrolment.Status == v1.EnrolmentEnrolled {
				enrolled++
			}
		}
	}
	mr := &v1.MonthlyReport{TypeMeta: metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "MonthlyReport"},
		ObjectMeta: metav1.ObjectMeta{Namespace: Namespace, Name: policy.ReportName(level, code, s.Month)},
		Spec: v1.MonthlyReportSpec{Level: level, Month: s.Month, CutOff: policy.FormatDate(s.CutOff), Due: policy.FormatDate(s.Due),
			Agreement: agreement, ScopeName: name,
			Figures: v1.ReportFigures{From: policy.FormatDate(s.From), To: policy.FormatDate(s.To), TargetsMet: true,
				Coverage: v1.Coverage{Children: n, SchoolAge: enrolled, Enrolled: enrolled, Attending: enrolled},
				Rates:    v1.Rates{Enrolment: "100", Consolidation: "100", Dropout: "0", SchoolYearDropout: "0"}}}}
	switch level {
	case v1.ReportSchool:
		mr.Spec.School = v1.SchoolCode(code)
		for _, sc := range Schools {
			if sc.Code == code && len(sc.Catchment) > 0 {
				mr.Spec.Township = v1.TownshipCode(sc.Catchment[0][:9])
			}
		}
	case v1.ReportTownship:
		mr.Spec.Township = v1.TownshipCode(code)
	}
	if confirmed {
		mr.Spec.Confirmation = &v1.Confirmation{By: ConfirmedBy, At: metav1.NewTime(s.Due.Add(9 * time.Hour))}
	}
	return mr
}

// ReportsYAML is Reports as one YAML stream.
func (c *County) ReportsYAML() ([]byte, error) {
	var out []byte
	for _, r := range c.Reports() {
		b, err := yaml.Marshal(r)
		if err != nil {
			return nil, err
		}
		out = append(append(out, "---\n"...), b...)
	}
	return out, nil
}
