package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/controllers"
)

// TestIndexLookupsFindWhatTheyStore checks the indexes against controller-runtime's cache
// reader: a county's lookups find its own children only, the identity lookup finds the same child
// in two counties, and each value is stored once (not again under "__all_namespaces", which
// controller-runtime's IndexField adds and which doubled the index's memory).
func TestIndexLookupsFindWhatTheyStore(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mgr := indexOnlyManager(t)
	go func() { _ = mgr.Start(ctx) }()
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		t.Fatal("cache did not sync")
	}

	nsA, nsB := newNamespace(t), newNamespace(t)
	a := student(nsA, "pupil", 1, village)
	b := student(nsB, "pupil", 1, village)
	b.Spec.StudentNumber = a.Spec.StudentNumber // the same child registered in two counties
	create(t, a, b)

	class := fmt.Sprintf("%s/5/1", school)
	eventually(t, "each county's class lookup finds its own child", func() error {
		var list v1.StudentList
		if err := mgr.GetClient().List(ctx, &list, client.InNamespace(nsA), client.MatchingFields{"kongchuo.io/student-class": class}); err != nil {
			return err
		}
		if len(list.Items) != 1 || list.Items[0].Namespace != nsA {
			return fmt.Errorf("class lookup in %s found %d students", nsA, len(list.Items))
		}
		return nil
	})

	indexer := studentIndexer(t, ctx, mgr)
	for _, v := range indexer.ListIndexFuncValues("field:kongchuo.io/student-class") {
		if strings.HasPrefix(v, "__all_namespaces/") {
			t.Errorf("the class index stores %q: a county index is stored again across namespaces", v)
		}
	}
	eventually(t, "the identity lookup finds the child in both counties", func() error {
		found := map[string]bool{}
		for _, v := range indexer.ListIndexFuncValues("field:kongchuo.io/student-identity") {
			bucket, ok := strings.CutPrefix(v, "__all_namespaces/")
			if !ok {
				t.Fatalf("identity index value %q is per county: duplicates across counties would go unseen", v)
			}
			var list v1.StudentList
			if err := mgr.GetClient().List(ctx, &list, client.MatchingFields{"kongchuo.io/student-identity": bucket}); err != nil {
				return err
			}
			for _, s := range list.Items {
				found[s.Namespace] = true
			}
		}
		if !found[nsA] || !found[nsB] {
			return fmt.Errorf("found the child in %v, want both %s and %s", found, nsA, nsB)
		}
		return nil
	})
}

// indexOnlyManager is a manager with the cache and indexes of the controllers and no controller.
func indexOnlyManager(t *testing.T) ctrl.Manager {
	t.Helper()
	cfg, err := env.ManagerConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: controllers.CacheOptions(cache.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	if err := controllers.RegisterIndexes(mgr); err != nil {
		t.Fatal(err)
	}
	return mgr
}

func studentIndexer(t *testing.T, ctx context.Context, mgr ctrl.Manager) toolscache.Indexer {
	t.Helper()
	informer, err := mgr.GetCache().GetInformer(ctx, &v1.Student{})
	if err != nil {
		t.Fatal(err)
	}
	withIndexer, ok := informer.(interface{ GetIndexer() toolscache.Indexer })
	if !ok {
		t.Fatalf("the cache's informer %T has no indexer", informer)
	}
	return withIndexer.GetIndexer()
}
