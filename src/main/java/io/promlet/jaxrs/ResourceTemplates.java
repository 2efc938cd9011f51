package io.promlet.jaxrs;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The templates a request may have matched, from the {@code @Path} annotations of the resources it went through:
 * the root resource class, each sub-resource locator, the resource method. Annotations are found where JAX-RS finds
 * them: on a method, or, when the method has no JAX-RS annotation of its own, on the method it overrides or
 * implements; on a class, or on its superclass (so that a container's proxy subclass of a resource is read as the
 * resource).
 */
final class ResourceTemplates {

    private ResourceTemplates() {
    }

    /**
     * The joined raw templates (regexes kept, see {@link PathTemplate#join}) the request may have matched: one, unless a
     * class has several locators that return the next resource; none if the chain does not lead to the method.
     *
     * @param chain the classes of the matched resources, the root resource first and the one of {@code method} last
     * @param method the resource method JAX-RS chose
     */
    static List<String> candidates(List<Class<?>> chain, Method method) {
        String root = classPath(chain.get(0));
        Method annotated = annotated(method);
        if (root == null || annotated == null) {
            return List.of();
        }
        List<String> prefixes = List.of(root);
        for (int i = 1; i < chain.size(); i++) {
            List<String> locators = locatorPaths(chain.get(i - 1), chain.get(i));
            List<String> longer = new ArrayList<>(prefixes.size() * locators.size());
            for (String prefix : prefixes) {
                for (String locator : locators) {
                    longer.add(PathTemplate.join(prefix, locator));
                }
            }
            prefixes = longer;
        }
        String methodPath = pathOf(annotated);
        List<String> templates = new ArrayList<>(prefixes.size());
        for (String prefix : prefixes) {
            templates.add(PathTemplate.join(prefix, methodPath == null ? "" : methodPath));
        }
        return templates;
    }

    /**
     * The {@code @Path} of the class, else of an interface it implements (RESTEasy reads those), else of its nearest
     * superclass that has one; null if none has.
     */
    static String classPath(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            Path path = t.getAnnotation(Path.class);
            for (int i = 0; path == null && i < t.getInterfaces().length; i++) {
                path = t.getInterfaces()[i].getAnnotation(Path.class);
            }
            if (path != null) {
                return path.value();
            }
        }
        return null;
    }

    /** The paths of the sub-resource locators of {@code parent} that may have returned a {@code child}. */
    private static List<String> locatorPaths(Class<?> parent, Class<?> child) {
        List<String> paths = new ArrayList<>(1);
        for (Method method : parent.getMethods()) {
            if (method.isBridge() || !(method.getReturnType().isAssignableFrom(child)
                    || method.getReturnType() == Class.class)) {
                continue;
            }
            Method annotated = annotated(method);
            String path = annotated == null ? null : pathOf(annotated);
            if (path != null && !namesHttpMethod(annotated)) {
                paths.add(path);
            }
        }
        return paths;
    }

    /**
     * The method whose JAX-RS annotations apply to {@code method}: itself if it has any, else the first method it
     * overrides or implements that has (superclass before interfaces); null if none has.
     */
    static Method annotated(Method method) {
        if (pathOf(method) != null || namesHttpMethod(method)) {
            return method;
        }
        Class<?> type = method.getDeclaringClass();
        List<Class<?>> supertypes = new ArrayList<>(List.of(type.getInterfaces()));
        if (type.getSuperclass() != null) {
            supertypes.add(0, type.getSuperclass());
        }
        for (Class<?> supertype : supertypes) {
            Method inherited;
            try {
                inherited = supertype.getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                continue;
            }
            Method found = annotated(inherited);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String pathOf(Method method) {
        Path path = method.getAnnotation(Path.class);
        return path == null ? null : path.value();
    }

    /** Whether {@code method} has an annotation that names an HTTP method ({@code @GET}, {@code @POST}, ...). */
    private static boolean namesHttpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
