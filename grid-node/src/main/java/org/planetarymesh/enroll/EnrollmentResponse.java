package org.planetarymesh.enroll;

/**
 * The endpoint's answer, one JSON object on one line: a certificate and the CA's, or an error for people.
 *
 * @param certificate the new certificate in PEM, absent on error
 * @param ca          the mesh CA's certificate in PEM, absent on error
 * @param error       why the request was refused, absent on success
 */
public record EnrollmentResponse(String certificate, String ca, String error) {
    static EnrollmentResponse issued(String certificate, String ca) {
        return new EnrollmentResponse(certificate, ca, null);
    }

    static EnrollmentResponse refused(String error) {
        return new EnrollmentResponse(null, null, error);
    }
}
