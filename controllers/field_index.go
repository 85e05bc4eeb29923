package controllers

import (
	"context"
	"fmt"

	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// indexScope is where an index's lookups are made: within one namespace (a county), or across
// all of them (a child's identity, 一人一籍, is checked province-wide).
type indexScope int

const (
	perNamespace indexScope = iota
	acrossNamespaces
)

// allNamespacesKey is the namespace part of a key looked up across namespaces.
const allNamespacesKey = "__all_namespaces"

// addFieldIndex registers fn as a field index of obj's informer that client.MatchingFields
// finds, storing each value once, under the scope its lookups use. controller-runtime's
// IndexField stores every value of a namespaced object twice, under its namespace and across
// namespaces: for Students that doubles the largest part of the index (about 300 bytes a child)
// for lookups no reconciler makes.
//
// The index name ("field:" + field) and the key ("<namespace>/<value>", or
// "__all_namespaces/<value>") are the ones controller-runtime's cache reader looks up
// (cache/internal FieldIndexName and KeyToNamespacedKey). Every lookup in the controllers' envtest
// suite goes through them, and TestIndexLookupsFindWhatTheyStore checks the format on its own.
func addFieldIndex(ctx context.Context, c cache.Cache, obj client.Object, field string, scope indexScope, fn client.IndexerFunc) error {
	informer, err := c.GetInformer(ctx, obj)
	if err != nil {
		return fmt.Errorf("getting the informer for index %s: %w", field, err)
	}
	err = informer.AddIndexers(toolscache.Indexers{"field:" + field: func(raw any) ([]string, error) {
		o, ok := raw.(client.Object)
		if !ok {
			return nil, fmt.Errorf("index %s: %T is not an object", field, raw)
		}
		return indexKeys(o, scope, fn(o)), nil
	}})
	if err != nil {
		return fmt.Errorf("registering index %s: %w", field, err)
	}
	return nil
}

// indexKeys prefixes an object's index values with the namespace its lookups name.
func indexKeys(o client.Object, scope indexScope, values []string) []string {
	if len(values) == 0 {
		return nil
	}
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i] = indexKey(o.GetNamespace(), scope, v)
	}
	return keys
}

// indexKey is the stored key of an index value: the one client.MatchingFields looks up.
func indexKey(namespace string, scope indexScope, value string) string {
	if scope == acrossNamespaces || namespace == "" {
		namespace = allNamespacesKey
	}
	return namespace + "/" + value
}
