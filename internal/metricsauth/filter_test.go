package metricsauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/yaml"

	"kongchuo.io/kongchuo/internal/testenv"
)

const namespace = "monitoring"

// TestScrapesNeedATokenAllowedToGetMetrics runs the filter against a real API server: a request
// without a token or with a forged one is 401, a ServiceAccount token is 403 until the account is
// bound to the ClusterRole a scraper is given (config/rbac/metrics_reader_role.yaml), then 200;
// the role allows get of /metrics, not other verbs or paths; one caller's decision is never
// another's; a decision lasts its minute and no longer; the token is in neither the log nor
// what the metrics handler sees.
func TestScrapesNeedATokenAllowedToGetMetrics(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	kube := kubernetes.NewForConfigOrDie(env.Config)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := kube.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	outsider := serviceAccountToken(t, kube, "outsider")
	scraper := serviceAccountToken(t, kube, "scraper")
	bindMetricsReader(t, kube, "scraper")

	clock := clocktesting.NewFakeClock(time.Now())
	var logged strings.Builder
	log := funcr.New(func(prefix, args string) { fmt.Fprintln(&logged, prefix, args) }, funcr.Options{Verbosity: 10})
	guarded := guardWithClock(t, kube, clock, log)
	cases := []struct {
		name, method, path, header string
		want                       int
	}{
		{"no token", http.MethodGet, "/metrics", "", http.StatusUnauthorized},
		{"forged token", http.MethodGet, "/metrics", "Bearer not-a-token", http.StatusUnauthorized},
		{"another scheme", http.MethodGet, "/metrics", "Basic " + scraper, http.StatusUnauthorized},
		{"two spaces before the token", http.MethodGet, "/metrics", "Bearer  " + scraper, http.StatusUnauthorized},
		{"account without the role", http.MethodGet, "/metrics", "Bearer " + outsider, http.StatusForbidden},
		{"scraper", http.MethodGet, "/metrics", "Bearer " + scraper, http.StatusOK},
		{"scheme in lower case, a word after the token", http.MethodGet, "/metrics", "bearer " + scraper + " x", http.StatusOK},
		{"the account without the role, after the scraper", http.MethodGet, "/metrics", "Bearer " + outsider, http.StatusForbidden},
		{"scraper, another verb", http.MethodPost, "/metrics", "Bearer " + scraper, http.StatusForbidden},
		{"scraper, HEAD", http.MethodHead, "/metrics", "Bearer " + scraper, http.StatusForbidden},
		{"scraper, another path", http.MethodGet, "/debug", "Bearer " + scraper, http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := scrape(guarded, c.method, c.path, c.header)
			if rec.Code != c.want {
				t.Fatalf("status %d (%q), want %d", rec.Code, rec.Body.String(), c.want)
			}
			served := rec.Body.String() == "metrics\n"
			if served != (c.want == http.StatusOK) {
				t.Fatalf("body %q: the metrics were served %v, want %v", rec.Body.String(), served, c.want == http.StatusOK)
			}
			if challenge := rec.Header().Get("WWW-Authenticate"); (challenge == "Bearer") != (c.want == http.StatusUnauthorized) {
				t.Fatalf("WWW-Authenticate %q with status %d", challenge, rec.Code)
			}
		})
	}

	// The provider the manager is given, end to end.
	if rec := scrape(providedFilter(t, env.Config), http.MethodGet, "/metrics", "Bearer "+scraper); rec.Code != http.StatusOK {
		t.Fatalf("the manager's filter: status %d (%q), want 200", rec.Code, rec.Body.String())
	}

	// A decision is reused for a minute: right after the binding is removed, the scraper is still
	// answered from the cache; a minute later it is reviewed again and refused.
	if err := kube.RbacV1().ClusterRoleBindings().Delete(ctx, "scraper-metrics-reader", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waitForAccess(t, kube, "scraper", false)
	if rec := scrape(guarded, http.MethodGet, "/metrics", "Bearer "+scraper); rec.Code != http.StatusOK {
		t.Fatalf("a cached decision: status %d (%q), want 200", rec.Code, rec.Body.String())
	}
	clock.Step(allowTTL + time.Second)
	if rec := scrape(guarded, http.MethodGet, "/metrics", "Bearer "+scraper); rec.Code != http.StatusForbidden {
		t.Fatalf("after the decision's minute: status %d (%q), want 403", rec.Code, rec.Body.String())
	}

	for _, secret := range []string{scraper, outsider, "system:serviceaccount"} {
		if strings.Contains(logged.String(), secret) {
			t.Fatalf("the log names a token or a user:\n%s", logged.String())
		}
	}
}

// TestOnlyTheAPIServersTroubleIsRetried: a busy or unreachable API server is asked again; a
// refusal of the manager's own access, or the request's own end, is not.
func TestOnlyTheAPIServersTroubleIsRetried(t *testing.T) {
	reviews := schema.GroupResource{Group: "authentication.k8s.io", Resource: "tokenreviews"}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"manager may not create reviews", apierrors.NewForbidden(reviews, "", errors.New("rbac")), false},
		{"manager's credentials rejected", apierrors.NewUnauthorized("expired"), false},
		{"too many requests", apierrors.NewTooManyRequests("slow down", 1), true},
		{"internal error", apierrors.NewInternalError(errors.New("etcd")), true},
		{"unavailable", apierrors.NewServiceUnavailable("starting"), true},
		{"connection refused", &url.Error{Op: "Post", URL: "https://api", Err: syscall.ECONNREFUSED}, true},
		{"request cancelled", &url.Error{Op: "Post", URL: "https://api", Err: context.Canceled}, false},
		{"request timed out", fmt.Errorf("review: %w", context.DeadlineExceeded), false},
		{"bad certificate", errors.New("x509: certificate signed by unknown authority"), false},
	}
	for _, c := range cases {
		if got := transient(c.err); got != c.want {
			t.Errorf("%s: transient %v, want %v", c.name, got, c.want)
		}
	}
}

// providedFilter is what New gives the manager's metrics server, around metricsHandler.
func providedFilter(t *testing.T, config *rest.Config) http.Handler {
	t.Helper()
	httpClient, err := rest.HTTPClientFor(config)
	if err != nil {
		t.Fatal(err)
	}
	filter, err := New(config, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	h, err := filter(logr.Discard(), metricsHandler())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// guardWithClock is the filter's handler around metricsHandler, its cache on a test clock.
func guardWithClock(t *testing.T, kube kubernetes.Interface, clock *clocktesting.FakeClock, log logr.Logger) http.Handler {
	t.Helper()
	r, err := newReviewer(kube.AuthenticationV1().TokenReviews(), kube.AuthorizationV1().SubjectAccessReviews(), clock)
	if err != nil {
		t.Fatal(err)
	}
	return r.guard(log, metricsHandler())
}

// metricsHandler serves "metrics", and says so when the caller's token reaches it.
func metricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") != "" {
			_, _ = io.WriteString(w, "the token reached the metrics handler\n")
			return
		}
		_, _ = io.WriteString(w, "metrics\n")
	})
}

func scrape(h http.Handler, method, path, authorization string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// serviceAccountToken creates a ServiceAccount and a token for it, as Prometheus would hold.
func serviceAccountToken(t *testing.T, kube kubernetes.Interface, name string) string {
	t.Helper()
	ctx := context.Background()
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if _, err := kube.CoreV1().ServiceAccounts(namespace).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tr, err := kube.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name, &authenticationv1.TokenRequest{}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Status.Token
}

// bindMetricsReader binds the account to the ClusterRole of config/rbac/metrics_reader_role.yaml.
func bindMetricsReader(t *testing.T, kube kubernetes.Interface, account string) {
	t.Helper()
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "metrics_reader_role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(raw, &role); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.RbacV1().ClusterRoles().Create(ctx, &role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: account + "-metrics-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: account, Namespace: namespace}},
	}
	if _, err := kube.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitForAccess(t, kube, account, true)
}

// waitForAccess waits until the API server's RBAC authorizer, which learns of bindings from its
// own watch, gives the account the access wanted: the filter's first review must not see the
// state from before a binding changed.
func waitForAccess(t *testing.T, kube kubernetes.Interface, account string, allowed bool) {
	t.Helper()
	user := "system:serviceaccount:" + namespace + ":" + account
	err := wait.PollUntilContextTimeout(context.Background(), 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		review, err := kube.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: user, NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/metrics", Verb: "get"},
		}}, metav1.CreateOptions{})
		return err == nil && review.Status.Allowed == allowed, nil
	})
	if err != nil {
		t.Fatalf("the access of %s did not become %v: %v", user, allowed, err)
	}
}
