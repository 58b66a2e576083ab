from rest_framework.authtoken.models import Token


def test_a_call_with_both_a_session_and_a_token_of_the_same_user_is_allowed(org, client):
    """Browsers that also hold a token (a page calling the API) must not be refused: the token
    user is another Python object than the session's, and both need the actor."""
    user = org.users["staff"]
    client.force_login(user)
    token = Token.objects.create(user=user)
    response = client.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 6
