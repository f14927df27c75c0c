package io.warden.policy.internal;

import java.util.List;

/**
 * Targets denied unless a policy names them explicitly: metadata and credential endpoints, other processes' secrets,
 * and known deserialization gadget classes (the exact lists are in docs/policy.md).
 */
public final class BuiltInDeny {
    /** A denied address with the name used in rules, e.g. {@code builtin.deny metadata}. */
    public record Address(String name, AddressRange range) {}

    public static final List<Address> ADDRESSES = List.of(
            address("metadata", "169.254.169.254"),
            address("metadata", "fd00:ec2::254"),
            address("container-credentials", "169.254.170.2"),
            address("container-credentials", "169.254.170.23"),
            address("container-credentials", "fd00:ec2::23"));

    /**
     * Any process's environment and memory, also through /proc/PID/task/TID and /proc/PID/root; and the agent's record
     * of the highest policy revision its execution environment enforced, which the function must not lower.
     */
    public static final List<Glob> FILES = List.of(
            Glob.parse("/proc/**/environ"), Glob.parse("/proc/**/mem"), Glob.parse("/tmp/.warden-policy-revision-*"));

    /**
     * Classes and packages used by the ysoserial and marshalsec gadget chains. A class of its own, so the list is parsed
     * on the first deserialization rather than at every start-up.
     */
    public static final class Gadgets {
        public static final List<ClassPattern> PATTERNS = classes(
                "org.apache.commons.collections.functors.**",
                "org.apache.commons.collections4.functors.**",
                "org.apache.commons.beanutils.BeanComparator",
                "org.codehaus.groovy.runtime.ConvertedClosure",
                "org.codehaus.groovy.runtime.MethodClosure",
                "org.springframework.beans.factory.ObjectFactory",
                "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
                "org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider",
                "org.springframework.transaction.jta.JtaTransactionManager",
                "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
                "org.apache.xalan.xsltc.trax.TemplatesImpl",
                "com.sun.rowset.JdbcRowSetImpl",
                "com.sun.jndi.rmi.registry.ReferenceWrapper",
                "sun.rmi.server.UnicastRef",
                "sun.rmi.server.UnicastRef2",
                "java.rmi.server.RemoteObjectInvocationHandler",
                "java.rmi.server.UnicastRemoteObject",
                "org.hibernate.engine.spi.TypedValue",
                "org.hibernate.tuple.component.AbstractComponentTuplizer",
                "org.hibernate.tuple.component.PojoComponentTuplizer",
                "org.hibernate.property.BasicPropertyAccessor$BasicGetter",
                "org.hibernate.property.access.spi.GetterMethodImpl",
                "com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase",
                "com.mchange.v2.c3p0.WrapperConnectionPoolDataSource",
                "com.mchange.v2.naming.ReferenceIndirector*",
                "bsh.XThis*",
                "clojure.inspector.proxy$*",
                "clojure.main$eval_opt",
                "clojure.core$comp*",
                "com.sun.syndication.feed.impl.ObjectBean",
                "com.sun.syndication.feed.impl.ToStringBean",
                "com.rometools.rome.feed.impl.ObjectBean",
                "com.rometools.rome.feed.impl.ToStringBean",
                "org.python.core.PyFunction",
                "org.python.core.PyBytecode",
                "org.mozilla.javascript.MemberBox",
                "org.mozilla.javascript.NativeJavaObject",
                "org.jboss.interceptor.proxy.InterceptorMethodHandler",
                "com.vaadin.data.util.NestedMethodProperty",
                "org.apache.commons.fileupload.disk.DiskFileItem",
                "org.apache.wicket.util.upload.DiskFileItem",
                "org.apache.click.control.Column$ColumnComparator");

        private Gadgets() {}
    }

    private BuiltInDeny() {}

    private static Address address(String name, String literal) {
        return new Address(name, AddressRange.parse(literal));
    }

    private static List<ClassPattern> classes(String... patterns) {
        ClassPattern[] parsed = new ClassPattern[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            parsed[i] = ClassPattern.parse(patterns[i]);
        }
        return List.of(parsed);
    }
}
