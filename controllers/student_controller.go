package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// StudentReconciler keeps a Student's status true to the attendance reports, the agreements and
// the registry, and opens a DropoutCase when the child is out of school.
type StudentReconciler struct {
	client.Client
	Options
	Recorder recorder.EventRecorder
	Fanout   *Fanout
	// Agreements are the cache's, read in place.
	Agreements cachedAgreements
	written    ownWrites
	// wakeups wakes a child on the next date its status changes by the date alone.
	wakeups *wakeups
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=students,verbs=get;list;watch
// +kubebuilder:rbac:groups=kongchuo.io,resources=students/status,verbs=get;patch
// +kubebuilder:rbac:groups=kongchuo.io,resources=dropoutcases,verbs=get;list;watch;create
// Owner references that block the Student's deletion need this where the API server enforces
// owner-reference permissions (OwnerReferencesPermissionEnforcement).
// +kubebuilder:rbac:groups=kongchuo.io,resources=students/finalizers,verbs=update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile computes the student's status and opens a case when one is due.
func (r *StudentReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var s v1.Student
	if err := r.Get(ctx, req.NamespacedName, &s); err != nil {
		if apierrors.IsNotFound(err) {
			r.written.forget(req.NamespacedName)
			r.wakeups.set(req.NamespacedName, nil)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if r.written.stale(req.NamespacedName, s.ResourceVersion, time.Now()) {
		return ctrl.Result{RequeueAfter: recheckAfterWrite}, nil
	}
	now, today := r.today()
	rules := r.schoolAge(s.Namespace)
	res, ladder, ladderErr := ladderFor(ctx, r.Agreements, &s, today)
	if res.Education == nil && res.Government == nil && ladderErr != nil {
		return ctrl.Result{}, ladderErr
	}
	summary, err := childAttendance(ctx, r, &s, rules.SchoolYearStart(today))
	if err != nil {
		return ctrl.Result{}, err
	}
	standing := policy.AssessEnrolment(&s, today, rules)
	cases, err := casesOf(ctx, r, s.Namespace, s.Name)
	if err != nil {
		return ctrl.Result{}, err
	}
	openName := ""
	if open := openCaseOf(cases); open != nil {
		openName = open.Name
	}
	var newCase *v1.DropoutCase
	recordBehind := false
	if openName == "" {
		if newCase, recordBehind, err = r.newCase(ctx, &s, summary, standing, ladder, policy.CalendarFrom(res.Terms), rules, cases, now, today); err != nil {
			return ctrl.Result{}, err
		}
		if newCase != nil {
			openName = newCase.Name
		}
	}
	duplicates, err := r.registryProblems(ctx, &s)
	if err != nil {
		return ctrl.Result{}, err
	}
	support, err := supportFacts(ctx, r, &s, res.Terms.Support, rules.SchoolYearStart(today), today)
	if err != nil {
		return ctrl.Result{}, err
	}

	before := s.DeepCopy()
	birth, _ := policy.ParseDate(s.Spec.BirthDate)
	s.Status.ObservedGeneration = s.Generation
	s.Status.Age = int32(policy.Age(birth, today))
	s.Status.SchoolAge = rules.IsSchoolAge(birth, today)
	s.Status.Attendance = summary.AttendanceSummary
	s.Status.Responsible = v1.Responsibility{Education: policy.Party(res.Education.Narrowest()), Government: policy.Party(res.Government.Narrowest())}
	s.Status.OpenCase = openName
	verdict := policy.EvaluateStudent(policy.StudentFacts{
		Standing: standing, Attendance: summary, Ladder: ladder, LadderErr: ladderErr,
		Missing: policy.MissingResponsibility(res, &s), OpenCase: openName, Support: support,
		ClassSilentSince: policy.ClassSilentSince(res.Education, summary.Days),
		Registry:         append(duplicates, policy.SourceProblems(&s, s.Status.SchoolAge)...),
	})
	s.Status.DueActions = verdict.DueActions
	applyConditions(&s.Status.Conditions, now, verdict.Conditions)
	// Status first, case second: the case controller then reads the attendance the case opened on.
	// A write that moves the child into or out of the student-running index is looked at again
	// once the cache holds it (own_writes.go); other writes change nothing a record event routes by.
	recheck := running(before.Status) != running(s.Status)
	if !equality.Semantic.DeepEqual(before.Status, s.Status) {
		if err := r.Status().Patch(ctx, &s, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching student status: %w", err)
		}
		if recheck {
			r.written.record(req.NamespacedName, s.ResourceVersion, time.Now())
		}
	}
	if newCase != nil {
		if err := r.openCase(ctx, &s, newCase, today); err != nil {
			return ctrl.Result{}, err
		}
	}
	atRisk := openName != "" || conditionTrue(s.Status.Conditions, v1.StudentAtRisk)
	nextDay := earliest(nextStudentChange(&s, birth, today, rules), nextSupportChange(support, atRisk))
	if sweep, ok := policy.CalendarFrom(res.Terms).NextSweepDay(today); ok {
		nextDay = earliestAfter(today, append(optional(nextDay), sweep))
	}
	r.wakeups.set(req.NamespacedName, nextDay)
	if recheck || recordBehind {
		return ctrl.Result{RequeueAfter: recheckAfterWrite}, nil
	}
	return ctrl.Result{}, nil
}

// newCase is the case to open now for a child with no open case, if any. A case waits while its
// class's record has not caught up with the class's roll calls (behind): the child is looked at
// again when the fold changes its days, and a second later in any case, for a fold that changes
// none of them.
func (r *StudentReconciler) newCase(ctx context.Context, s *v1.Student, summary policy.ChildAttendance, standing policy.EnrolmentAssessment, ladder policy.Ladder,
	cal policy.Calendar, rules policy.SchoolAgeRules, cases []*v1.DropoutCase, now, today time.Time) (dc *v1.DropoutCase, behind bool, err error) {
	if dc = r.caseToOpen(s, summary, standing, ladder, cal, rules, cases, today); dc == nil {
		return nil, false, nil
	}
	behind, err = r.classRecordsBehind(ctx, r, s.Namespace, s.Spec.Enrolment, rules.SchoolYearStart(today), now, today)
	if err != nil || behind {
		return nil, behind, err
	}
	return dc, false, nil
}

// caseToOpen is the case the current episode needs, if any: none when an existing case already
// answers for the episode (open, or closed after it began). Its name is derived from the episode,
// so a retry or a second replica arrives at the same case.
func (r *StudentReconciler) caseToOpen(s *v1.Student, summary policy.ChildAttendance, standing policy.EnrolmentAssessment, ladder policy.Ladder,
	cal policy.Calendar, rules policy.SchoolAgeRules, cases []*v1.DropoutCase, today time.Time) *v1.DropoutCase {
	registered := policy.LocalDate(s.CreationTimestamp.Time, r.Location)
	typ, opened, due := policy.CaseDue(s, summary, standing, ladder, rules, registered, today)
	if !due {
		// The start-of-term sweep (开学初排查): each child decides for itself on its own
		// reconcile, requeued to the sweep day, so no handler walks the county.
		typ, opened, due = policy.SweepDue(s, standing, summary.Days, cal, rules, registered, today)
	}
	if !due || policy.EpisodeCovered(opened, r.caseSpans(cases)) {
		return nil
	}
	labels := map[string]string{"kongchuo.io/student": s.Name}
	if policy.IsSweepCase(typ) {
		labels[labelSchool] = string(s.Spec.Enrolment.School) // last term's school
	}
	return &v1.DropoutCase{
		ObjectMeta: metav1.ObjectMeta{Name: policy.CaseName(s.Name, typ, opened), Namespace: s.Namespace, Labels: labels},
		Spec:       v1.DropoutCaseSpec{Student: s.Name, Type: typ, Opened: policy.FormatDate(opened)},
	}
}

// Labels that let each school select the sweep cases it answers for: the school of last term,
// and for a 6→7 hand-over also the receiving junior school (kubectl get dc -l …).
const (
	labelSchool          = "kongchuo.io/school"
	labelReceivingSchool = "kongchuo.io/receiving-school"
)

// receivingSchool labels a hand-over case with the junior school of the child's catchment, so
// that its clerk sees the case too. It reads the agreements through the scope index.
func (r *StudentReconciler) receivingSchool(ctx context.Context, s *v1.Student, dc *v1.DropoutCase, today time.Time) error {
	if dc.Spec.Type != v1.CaseNotHandedOver {
		return nil
	}
	agreements, err := agreementsFor(ctx, r.Agreements, s)
	if err != nil {
		return err
	}
	if junior := policy.ReceivingSchool(agreements, s.Spec.Residence.Village, s.Spec.Enrolment.School, today); junior != "" {
		dc.Labels[labelReceivingSchool] = string(junior)
	}
	return nil
}

// caseSpans are the days the child's cases were on the ledger. A closed case's day is the one its
// status recorded; a case without one yet counts as open.
func (r *StudentReconciler) caseSpans(cases []*v1.DropoutCase) []policy.CaseSpan {
	spans := make([]policy.CaseSpan, 0, len(cases))
	for _, dc := range cases {
		opened, err := policy.ParseDate(dc.Spec.Opened)
		if err != nil {
			continue
		}
		span := policy.CaseSpan{Opened: opened}
		if dc.Status.Stage == v1.StageClosed && dc.Status.StageEntered != nil {
			closed := policy.LocalDate(dc.Status.StageEntered.Time, r.Location)
			span.ClosedOn = &closed
		}
		spans = append(spans, span)
	}
	return spans
}

// openCase creates the case, owned by the student. An existing case of the same episode (created
// before a restart, or closed by a person while the child is still away) is never duplicated.
func (r *StudentReconciler) openCase(ctx context.Context, s *v1.Student, dc *v1.DropoutCase, today time.Time) error {
	if err := r.receivingSchool(ctx, s, dc, today); err != nil {
		return err
	}
	if err := controllerutil.SetControllerReference(s, dc, r.Scheme()); err != nil {
		return fmt.Errorf("owning case: %w", err)
	}
	if err := r.Create(ctx, dc); err != nil {
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return fmt.Errorf("creating case: %w", err)
	}
	logf.FromContext(ctx).Info("opened case", "case", dc.Name, "type", dc.Spec.Type)
	r.Recorder.Eventf(s, dc, "Warning", "CaseOpened", "OpenCase", "opened %s case %s (from %s)", dc.Spec.Type, dc.Name, dc.Spec.Opened)
	return nil
}

// registryProblems finds other Students with the same ID number (一人一籍), in any namespace, and
// reports from another school or class naming this child (在籍不在校).
func (r *StudentReconciler) registryProblems(ctx context.Context, s *v1.Student) ([]policy.RegistryProblem, error) {
	var problems []policy.RegistryProblem
	for _, bucket := range identityBuckets(s) {
		var list v1.StudentList
		if err := r.List(ctx, &list, client.MatchingFields{indexStudentIdentity: bucket}, client.UnsafeDisableDeepCopy); err != nil {
			return nil, fmt.Errorf("looking up duplicate registrations: %w", err)
		}
		for i := range list.Items {
			o := &list.Items[i]
			if (o.Namespace != s.Namespace || o.Name != s.Name) && sameIdentity(s, o) && !policy.MovedBetween(s, o) {
				problems = append(problems, policy.RegistryProblem{Reason: v1.ReasonDuplicateRegistration,
					Message: fmt.Sprintf("与 %s/%s 身份证号相同 (一人一籍)", o.Namespace, o.Name)})
			}
		}
	}
	var reports v1.AttendanceReportList
	if err := r.List(ctx, &reports, client.InNamespace(s.Namespace), client.MatchingFields{indexReportStudent: s.Name}); err != nil {
		return nil, fmt.Errorf("looking up reports naming the student: %w", err)
	}
	e := s.Spec.Enrolment
	for _, rep := range reports.Items {
		if rep.Spec.Date < e.Since {
			continue // the child's earlier class or school, before the current enrolment began
		}
		if e.Status != v1.EnrolmentEnrolled || classKey(rep.Spec.School, rep.Spec.Grade, rep.Spec.Class) != classKey(e.School, e.Grade, e.Class) {
			problems = append(problems, policy.RegistryProblem{Reason: v1.ReasonNamedByAnotherClass,
				Message: fmt.Sprintf("%s %d 年级 %d 班的考勤 %s 记有此生 (在籍不在校)", rep.Spec.School, rep.Spec.Grade, rep.Spec.Class, rep.Name)})
			break
		}
	}
	return dedupe(problems), nil
}

func dedupe(in []policy.RegistryProblem) []policy.RegistryProblem {
	seen := map[policy.RegistryProblem]bool{}
	var out []policy.RegistryProblem
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// nextStudentChange is the next date on which time alone changes the student's status: a
// birthday, the start or end of school age, or the end of evidence.
func nextStudentChange(s *v1.Student, birth, today time.Time, rules policy.SchoolAgeRules) *time.Time {
	var candidates []time.Time
	next := time.Date(today.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)
	if !next.After(today) {
		next = next.AddDate(1, 0, 0)
	}
	candidates = append(candidates, next)
	first, last := rules.SchoolAgeWindow(birth)
	candidates = append(candidates, first, policy.AddDays(last, 1), policy.AddDays(rules.SchoolYearStart(today), 0).AddDate(1, 0, 0))
	if ev := s.Spec.Enrolment.Evidence; ev != nil && ev.Until != "" {
		if until, err := policy.ParseDate(ev.Until); err == nil {
			candidates = append(candidates, policy.AddDays(until, 1))
		}
	}
	return earliestAfter(today, candidates)
}

// SetupWithManager watches Students, their class's attendance records, their cases, Students
// sharing their ID numbers, and the agreements over them (through the Fanout).
func (r *StudentReconciler) SetupWithManager(mgr ctrl.Manager, workers int) error {
	r.wakeups = newWakeups(r.Options)
	if err := mgr.Add(r.wakeups); err != nil {
		return err
	}
	specOnly := builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Student{}, specOnly).
		Owns(&v1.DropoutCase{}, builder.WithPredicates(caseStageChanged{})).
		Watches(&v1.ClassAttendance{}, recordChanges(r.studentsAffectedByDays)).
		Watches(&v1.Student{}, handler.EnqueueRequestsFromMapFunc(r.sameIdentity), specOnly).
		Watches(&v1.SupportRecord{}, handler.EnqueueRequestsFromMapFunc(studentOfSupportRecord), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WatchesRawSource(source.Channel(r.Fanout.students, &handler.EnqueueRequestForObject{})).
		WatchesRawSource(source.Channel(r.wakeups.out, &handler.EnqueueRequestForObject{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(r)
}

// studentsAffectedByDays are the children whose attendance a change of recorded days can change:
// those the changed days name, and those of the class with a run of absence (a day present ends
// it). A child present throughout with nothing running is not woken: it would write nothing.
func (r *StudentReconciler) studentsAffectedByDays(ctx context.Context, rec *v1.ClassAttendance, changed []v1.ClassDay) []reconcile.Request {
	reqs := r.listStudents(ctx, rec.Namespace, indexStudentRunning, classKey(rec.Spec.School, rec.Spec.Grade, rec.Spec.Class))
	return append(reqs, namedIn(rec.Namespace, changed)...)
}

func (r *StudentReconciler) sameIdentity(ctx context.Context, o client.Object) []reconcile.Request {
	s := o.(*v1.Student)
	var reqs []reconcile.Request
	for _, bucket := range identityBuckets(s) {
		var list v1.StudentList
		if err := r.List(ctx, &list, client.MatchingFields{indexStudentIdentity: bucket}, client.UnsafeDisableDeepCopy); err != nil {
			logf.FromContext(ctx).Error(err, "listing students with the same ID number")
			return nil
		}
		for i := range list.Items {
			if other := &list.Items[i]; sameIdentity(s, other) {
				reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: other.Namespace, Name: other.Name}})
			}
		}
	}
	return reqs
}

func (r *StudentReconciler) listStudents(ctx context.Context, namespace, index, key string) []reconcile.Request {
	var list v1.StudentList
	opts := []client.ListOption{client.MatchingFields{index: key}, client.UnsafeDisableDeepCopy}
	if namespace != "" {
		opts = append(opts, client.InNamespace(namespace))
	}
	if err := r.List(ctx, &list, opts...); err != nil {
		logf.FromContext(ctx).Error(err, "listing students to enqueue", "index", index)
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, s := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: s.Namespace, Name: s.Name}})
	}
	return reqs
}
