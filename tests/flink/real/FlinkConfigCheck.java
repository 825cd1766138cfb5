import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;

/**
 * Loads Flink configurations with Flink's own classes and reports every key Flink does not know,
 * every deprecated key, and every value Flink's parsers reject.
 *
 * Usage: FlinkConfigCheck OPERATOR_OPTIONS.tsv JAR... -- CONF.properties...
 * The options are every public static ConfigOption field of the *Options classes in the given jars
 * (Flink's distribution), plus the operator's options from the TSV (the operator's jar is not on
 * PyPI). Output: one line per problem, "FILE<TAB>KEY<TAB>unknown|deprecated|bad-value<TAB>detail",
 * then "checked N options" on stderr.
 */
public final class FlinkConfigCheck {

    private static final class Known {
        final ConfigOption<?> option;
        final boolean deprecated;

        Known(ConfigOption<?> option, boolean deprecated) {
            this.option = option;
            this.deprecated = deprecated;
        }
    }

    private final Map<String, Known> byKey = new HashMap<>();
    private final Map<String, String> deprecatedKeys = new HashMap<>();
    private final Map<Pattern, Known> patterns = new HashMap<>();

    private void add(ConfigOption<?> option, boolean deprecated) {
        Known known = new Known(option, deprecated);
        register(option.key(), known);
        for (FallbackKey fallback : option.fallbackKeys()) {
            if (fallback.isDeprecated()) {
                deprecatedKeys.putIfAbsent(fallback.getKey(), option.key());
            } else {
                register(fallback.getKey(), known);
            }
        }
    }

    private void register(String key, Known known) {
        if (key.contains("<")) {
            String regex = Pattern.quote(key).replaceAll("<[^>]+>", "\\\\E[^.]+\\\\Q");
            patterns.put(Pattern.compile(regex), known);
        } else {
            byKey.putIfAbsent(key, known);
        }
    }

    private void scanJar(Path jar, ClassLoader loader) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.startsWith("org/apache/flink/") || !name.endsWith("Options.class") || name.contains("$")) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name.replace('/', '.').replace(".class", ""), true, loader);
                } catch (Throwable notLoadable) {
                    continue; // needs a class outside these jars (a connector's dependency): not Flink's core
                }
                for (Field field : type.getFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                        add((ConfigOption<?>) field.get(null), field.isAnnotationPresent(Deprecated.class));
                    }
                }
            }
        }
    }

    private void readOperatorOptions(Path tsv) throws Exception {
        for (String line : Files.readAllLines(tsv)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cell = line.split("\t", -1);
            ConfigOptions.OptionBuilder builder = ConfigOptions.key(cell[0]);
            ConfigOption<?> option;
            switch (cell[1]) {
                case "boolean": option = builder.booleanType().noDefaultValue(); break;
                case "int": option = builder.intType().noDefaultValue(); break;
                case "long": option = builder.longType().noDefaultValue(); break;
                case "double": option = builder.doubleType().noDefaultValue(); break;
                case "duration": option = builder.durationType().noDefaultValue(); break;
                case "map": option = builder.mapType().noDefaultValue(); break;
                case "string-list": option = builder.stringType().asList().noDefaultValue(); break;
                // The enum classes live in the operator's jar: their values are checked as strings only.
                default: option = builder.stringType().noDefaultValue(); break;
            }
            if (cell.length > 2 && !cell[2].isEmpty()) {
                option = option.withDeprecatedKeys(cell[2].split(","));
            }
            add(option, false);
        }
    }

    private Known lookup(String key) {
        Known known = byKey.get(key);
        if (known != null) {
            return known;
        }
        for (Map.Entry<Pattern, Known> entry : patterns.entrySet()) {
            if (entry.getKey().matcher(key).matches()) {
                return entry.getValue();
            }
        }
        return null;
    }

    private List<String> check(Path properties) throws Exception {
        Properties loaded = new Properties();
        try (InputStream in = Files.newInputStream(properties)) {
            loaded.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : loaded.stringPropertyNames()) {
            values.put(key, loaded.getProperty(key));
        }
        Configuration configuration = Configuration.fromMap(values);
        List<String> problems = new ArrayList<>();
        String where = properties.getFileName().toString();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("streamplane.")) {
                continue; // the platform's own keys, read by the job itself
            }
            String replacement = deprecatedKeys.get(key);
            if (replacement != null && !byKey.containsKey(key)) {
                problems.add(where + "\t" + key + "\tdeprecated\tuse " + replacement);
                continue;
            }
            Known known = lookup(key);
            if (known == null) {
                problems.add(where + "\t" + key + "\tunknown\tno Flink or operator option has this key");
                continue;
            }
            if (known.deprecated) {
                problems.add(where + "\t" + key + "\tdeprecated\tthe option is @Deprecated");
                continue;
            }
            if (!known.option.key().equals(key)) {
                continue; // a pattern key (<name>): its value type is not known here
            }
            try {
                configuration.get(known.option);
            } catch (RuntimeException rejected) {
                String message = String.valueOf(rejected.getMessage()).replace('\n', ' ').replace('\t', ' ');
                problems.add(where + "\t" + key + "\tbad-value\t" + message);
            }
        }
        return problems;
    }

    public static void main(String[] args) throws Exception {
        FlinkConfigCheck checker = new FlinkConfigCheck();
        int split = java.util.Arrays.asList(args).indexOf("--");
        ClassLoader loader = FlinkConfigCheck.class.getClassLoader();
        for (int i = 1; i < split; i++) {
            checker.scanJar(Path.of(args[i]), loader);
        }
        checker.readOperatorOptions(Path.of(args[0]));
        for (int i = split + 1; i < args.length; i++) {
            for (String problem : checker.check(Path.of(args[i]))) {
                System.out.println(problem);
            }
        }
        System.err.println("checked " + checker.byKey.size() + " options");
    }
}
