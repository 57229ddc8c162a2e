package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLHandshakeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil inspect}: the projections' views from the command line, as kumactl shows Kuma's:
 * tables by default, or the API's JSON or YAML. Colours only on a terminal.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows meshes, dataplanes, services, or one dataplane or service, from a running vigil; --watch follows their changes.")
final class InspectCommand implements Callable<Integer> {

    enum What { meshes, dataplanes, services, dataplane, service }

    enum Output { table, json, yaml }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "WHAT", description = "meshes, dataplanes, services, dataplane NAME or service NAME.")
    What what;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The dataplane or service, for 'dataplane' and 'service'.")
    String name;

    @Option(names = "--mesh", paramLabel = "M", description = "Mesh (default: ${DEFAULT-VALUE}).")
    String mesh = "default";

    @Option(names = "--status", paramLabel = "S", description = "Only online, offline or partially_degraded (dataplanes, services).")
    String status;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    Output output = Output.table;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:VIGIL_SERVER:-http://127.0.0.1:8080}",
            description = "vigil's HTTP address (env VIGIL_SERVER; default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VIGIL_TOKEN}",
            description = "Bearer token, for a vigil whose reads need one (env VIGIL_TOKEN); --token-file keeps it out of the process list.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:VIGIL_TOKEN_FILE}",
            description = "File holding the bearer token, e.g. .vigil/admin-token; used when --token is not given (env VIGIL_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE", defaultValue = "${env:VIGIL_CACERT}",
            description = "PEM certificates to trust for an https --server (its own or its CA's) instead of the JDK's (env VIGIL_CACERT).")
    Path caCertificates;

    @Option(names = {"-w", "--watch"}, description = "After the answer, follow its changes, one line each, until interrupted "
            + "(like kubectl get -w); with -o json, one change per line as the live stream writes it. Not for meshes.")
    boolean watch;

    @Option(names = "--max-changes", paramLabel = "N", description = "With --watch: stop after N changes.")
    Integer maxChanges;

    private HttpClient http;
    private String authorization;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean single = what == What.dataplane || what == What.service;
        if (single != (name != null)) {
            throw new BadInputException(single ? "'inspect " + what + "' needs a NAME" : "'inspect " + what + "' takes no NAME");
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caCertificates != null) {
            client.sslContext(PemTrust.sslContext("--cacert", caCertificates));
        }
        if (watch && what == What.meshes) {
            throw new BadInputException("--watch follows dataplanes, services, a dataplane or a service, not meshes");
        }
        if (maxChanges != null && (!watch || maxChanges < 1)) {
            throw new BadInputException("--max-changes needs --watch and a count of at least 1, got " + maxChanges);
        }
        http = client.build();
        String bearer = bearerToken();
        authorization = bearer == null ? null : "Bearer " + bearer;
        try (ChangeWatch changes = watch ? ChangeWatch.open(http, URI.create(base() + streamPath()), authorization) : null) {
            JsonNode result = show();
            if (changes != null) {
                changes.follow(versions(result), this::wanted, this::printChange, maxChanges);
            }
        }
        return ExitCodes.OK;
    }

    /** Prints the answer as asked, and returns it. */
    private JsonNode show() throws IOException, InterruptedException {
        JsonNode result = switch (what) {
            case meshes -> get("/api/v1/meshes");
            case dataplanes -> allPages("/api/v1/meshes/" + encode(mesh) + "/dataplanes");
            case services -> allPages("/api/v1/meshes/" + encode(mesh) + "/services");
            case dataplane -> get("/api/v1/meshes/" + encode(mesh) + "/dataplanes/" + encode(name));
            case service -> get("/api/v1/meshes/" + encode(mesh) + "/services/" + encode(name));
        };
        String text = switch (output) {
            case json -> JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n";
            case yaml -> new YAMLMapper().writeValueAsString(result);
            case table -> new InspectTables(System.console() != null).render(what, result);
        };
        System.out.print(text);
        System.out.flush();
        return result;
    }

    /** The live stream of what is shown: its level, mesh, and the one dataplane or service. */
    private String streamPath() {
        boolean dataplanes = what == What.dataplanes || what == What.dataplane;
        StringBuilder path = new StringBuilder("/api/v1/changes?mesh=").append(encode(mesh))
                .append("&level=").append(dataplanes ? "proxy" : "service");
        if (name != null) {
            path.append(dataplanes ? "&dataplane=" : "&service=").append(encode(name));
        }
        return path.toString();
    }

    /** Entity key to the version the answer showed. */
    private static Map<String, Long> versions(JsonNode result) {
        Map<String, Long> versions = new HashMap<>();
        for (JsonNode entity : result.isArray() ? result : List.of(result)) {
            versions.put(entity.path("mesh").asText() + "/" + entity.path("name").asText(), entity.path("version").asLong());
        }
        return versions;
    }

    /** With --status: changes into or out of that status. */
    private boolean wanted(JsonNode change) {
        return status == null || status.equals(change.path("state").path("status").asText(null))
                || status.equals(change.path("previousStatus").asText(null));
    }

    private void printChange(JsonNode change) {
        String text = switch (output) {
            case json -> change.toString() + "\n";
            case yaml -> yaml(change);
            case table -> new InspectTables(System.console() != null).changeLine(change) + "\n";
        };
        System.out.print(text);
        System.out.flush();
    }

    private static String yaml(JsonNode change) {
        try {
            return new YAMLMapper().writeValueAsString(change);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every page of a list, following its {@code next} cursor. */
    private JsonNode allPages(String path) throws IOException, InterruptedException {
        ArrayNode items = JSON.createArrayNode();
        String next = null;
        do {
            StringBuilder query = new StringBuilder("?size=1000");
            if (status != null) {
                query.append("&status=").append(encode(status));
            }
            if (next != null) {
                query.append("&next=").append(encode(next));
            }
            JsonNode page = get(path + query);
            page.get("items").forEach(items::add);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return items;
    }

    /** The token to send: {@code --token}, else the content of {@code --token-file}, else none. */
    private String bearerToken() throws IOException {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        if (tokenFile == null) {
            return null;
        }
        String read;
        try {
            read = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new BadInputException("--token-file " + tokenFile.toAbsolutePath() + ": no such file");
        }
        if (read.isEmpty()) {
            throw new BadInputException("--token-file " + tokenFile.toAbsolutePath() + " is empty");
        }
        return read;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach vigil at " + server + " (is 'vigil serve' running? --server sets the address)");
        } catch (SSLHandshakeException e) {
            throw new IllegalStateException("cannot verify vigil's certificate at " + server + " (" + e.getMessage()
                    + "); give --cacert FILE with its certificate or its CA's");
        }
        JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        if (response.statusCode() == 400) {
            throw new BadInputException(body.path("error").asText("bad request"));
        }
        if (response.statusCode() == 401) {
            throw new BadInputException(authorization == null
                    ? "vigil at " + server + " needs a read token: give --token-file FILE or --token TOKEN (env VIGIL_TOKEN)"
                    : "vigil at " + server + " does not know this token");
        }
        if (response.statusCode() == 403) {
            throw new BadInputException(body.path("error").asText("the token may not read this"));
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(body.path("error").asText("HTTP " + response.statusCode() + " from " + path));
        }
        return body;
    }

    private String base() {
        return server.replaceAll("/+$", "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
