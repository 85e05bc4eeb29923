package controllers

import (
	"context"
	"fmt"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// The monthly reports' indexes.
const (
	indexRecordSchoolMonth = "kongchuo.io/record-school-month" // school/YYYY-MM of a ClassAttendance record
	indexReportParent      = "kongchuo.io/report-parent"       // township/<code>/<period>/YYYY-MM and county/<period>/YYYY-MM of a school report
)

// registerReportIndexes registers the indexes the report writer and the report reconciler look up.
func registerReportIndexes(mgr ctrl.Manager) error {
	ctx, idx := context.Background(), mgr.GetFieldIndexer()
	if err := idx.IndexField(ctx, &v1.ClassAttendance{}, indexRecordSchoolMonth, func(o client.Object) []string {
		s := o.(*v1.ClassAttendance).Spec
		return []string{string(s.School) + "/" + s.Month}
	}); err != nil {
		return fmt.Errorf("registering index %s: %w", indexRecordSchoolMonth, err)
	}
	if err := idx.IndexField(ctx, &v1.MonthlyReport{}, indexReportParent, func(o client.Object) []string {
		return reportParents(o.(*v1.MonthlyReport))
	}); err != nil {
		return fmt.Errorf("registering index %s: %w", indexReportParent, err)
	}
	return nil
}

// setupMonthlyReports registers the report indexes, the writer, the reports' reconciler and their
// metric.
func setupMonthlyReports(mgr ctrl.Manager, opts Options, agreements *ResponsibilityAgreementReconciler, students cachedStudents) error {
	if err := registerReportIndexes(mgr); err != nil {
		return err
	}
	if err := registerReportMetrics(mgr); err != nil {
		return err
	}
	cases, err := newCachedCases(context.Background(), mgr.GetCache(), mgr.GetClient())
	if err != nil {
		return err
	}
	writer := &ReportWriter{Client: mgr.GetClient(), Options: opts, Agreements: agreements, Cases: cases, Students: students}
	if err := writer.SetupWithManager(mgr); err != nil {
		return err
	}
	return (&MonthlyReportReconciler{Client: mgr.GetClient(), Options: opts, Recorder: mgr.GetEventRecorder("kongchuo")}).SetupWithManager(mgr)
}
