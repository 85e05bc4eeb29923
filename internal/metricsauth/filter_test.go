package metricsauth

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"kongchuo.io/kongchuo/internal/testenv"
)

const namespace = "monitoring"

// TestScrapesNeedATokenAllowedToGetMetrics runs the filter against a real API server: a request
// without a token or with a forged one is 401, a ServiceAccount token is 403 until the account is
// bound to the ClusterRole a scraper is given (config/rbac/metrics_reader_role.yaml), then 200;
// the role allows get, not other verbs.
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

	guarded := guardedHandler(t, env.Config)
	cases := []struct {
		name, method, token string
		want                int
	}{
		{"no token", http.MethodGet, "", http.StatusUnauthorized},
		{"forged token", http.MethodGet, "not-a-token", http.StatusUnauthorized},
		{"account without the role", http.MethodGet, outsider, http.StatusForbidden},
		{"scraper", http.MethodGet, scraper, http.StatusOK},
		{"scraper, another verb", http.MethodPost, scraper, http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := scrape(guarded, c.method, c.token)
			if status != c.want {
				t.Fatalf("status %d (%q), want %d", status, body, c.want)
			}
			if served := body == "metrics\n"; served != (c.want == http.StatusOK) {
				t.Fatalf("body %q: the metrics were served %v, want %v", body, served, c.want == http.StatusOK)
			}
		})
	}

	// A decision is reused for a minute: the same scrape right after the binding is removed is
	// still answered from the cache, without a review.
	if err := kube.RbacV1().ClusterRoleBindings().Delete(ctx, "scraper-metrics-reader", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if status, body := scrape(guarded, http.MethodGet, scraper); status != http.StatusOK {
		t.Fatalf("a cached decision: status %d (%q), want 200", status, body)
	}
}

func guardedHandler(t *testing.T, config *rest.Config) http.Handler {
	t.Helper()
	httpClient, err := rest.HTTPClientFor(config)
	if err != nil {
		t.Fatal(err)
	}
	filter, err := New(config, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "metrics\n") })
	h, err := filter(logr.Discard(), metrics)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func scrape(h http.Handler, method, token string) (int, string) {
	req := httptest.NewRequest(method, "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
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
	// The API server's RBAC authorizer learns of the binding from its own watch: wait for it, so
	// the filter's first review of the account is not a refusal it would then cache.
	user := "system:serviceaccount:" + namespace + ":" + account
	err = wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		review, err := kube.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: user, NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/metrics", Verb: "get"},
		}}, metav1.CreateOptions{})
		return err == nil && review.Status.Allowed, nil
	})
	if err != nil {
		t.Fatalf("the binding of %s did not take effect: %v", user, err)
	}
}
